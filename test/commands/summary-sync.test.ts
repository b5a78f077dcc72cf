import assert from 'node:assert/strict';
import {
  BotHarness,
  cardOf,
  cardPress,
  cardText,
  channelCommand,
  FIXTURE_TENANTS,
} from '../support/bot-harness';

describe('the posted summary card when the bot stops', () => {
  let bot: BotHarness;
  let stopped = false;

  beforeEach(async () => {
    stopped = false;
    bot = await BotHarness.start();
    await bot.send(channelCommand('declare Exchange Online mail delays sev2'));
  });

  afterEach(async () => {
    if (!stopped) await bot.app.stop();
    await bot.graph.close();
    await bot.connector.stop();
  });

  async function incidentId(): Promise<string> {
    const [incident] = await bot.app.store.listIncidents(FIXTURE_TENANTS[0], {
      openOnly: false,
      limit: 1,
    });
    return incident.id;
  }

  it('sends the change still waiting out the update interval before the store closes', async () => {
    const id = await incidentId();
    await bot.send(cardPress('incident.status', { incidentId: id, status: 'identified' }));
    await bot.send(cardPress('incident.status', { incidentId: id, status: 'monitoring' }));

    await bot.app.stop();
    stopped = true;
    const updates = bot.connector.updates();
    assert.equal(updates.length, 2);
    assert.match(cardText(cardOf(updates[1].body)), /Monitoring\n/);
  });

  it('finishes the card update already under way, once, before the store closes', async () => {
    const id = await incidentId();
    await bot.send(cardPress('incident.status', { incidentId: id, status: 'identified' }));

    await bot.app.stop();
    stopped = true;
    const updates = bot.connector.updates();
    assert.equal(updates.length, 1);
    assert.match(cardText(cardOf(updates[0].body)), /Identified\n/);
  });
});

describe('the posted summary card after a command typed in its thread', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start();
    await bot.send(channelCommand('declare Exchange Online mail delays sev2'));
  });

  after(async () => {
    await bot.stop();
  });

  it('updates the summary card only, never the message the command replied to', async () => {
    const [incident] = await bot.app.store.listIncidents(FIXTURE_TENANTS[0], {
      openOnly: false,
      limit: 1,
    });
    const base = channelCommand('note Mail flow restored for EU users');
    await bot.send({
      ...base,
      conversation: { ...base.conversation, id: incident.place?.conversationId },
      replyToId: 'an-earlier-reply-in-the-thread',
    });

    await bot.connector.waitFor(() => bot.connector.updates().length > 0);
    // Both targets were queued at once; a moment more lets a second update show if it exists.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const targets = bot.connector.updates().map((call) => call.activityId);
    assert.deepEqual(targets, [incident.place?.summaryActivityId]);
  });
});
