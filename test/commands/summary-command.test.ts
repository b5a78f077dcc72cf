import assert from 'node:assert/strict';
import type { Incident } from '../../src/incidents/incident';
import {
  BotHarness,
  cardOf,
  cardPress,
  cardText,
  channelCommand,
  FIXTURE_TENANTS,
} from '../support/bot-harness';

const TENANT = FIXTURE_TENANTS[0];

async function newest(bot: BotHarness): Promise<Incident> {
  const [incident] = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 1 });
  return incident;
}

/** A typed command in the incident's own thread, as Teams sends one there. */
function inThread(incident: Incident, text: string, extra: Record<string, any> = {}) {
  const base = channelCommand(text);
  return {
    ...base,
    conversation: { ...base.conversation, id: incident.place!.conversationId },
    ...extra,
  };
}

/** Cards the bot posted that show this incident's title: new threads and messages. */
function cardsOf(bot: BotHarness, title: string) {
  const threads = bot.connector.created().map((call) => cardOf(call.body.activity));
  const messages = bot.connector.sent().map((call) => cardOf(call.body));
  return [...threads, ...messages].filter((card) => cardText(card).includes(title));
}

/** Teams refuses every new thread, so a declaration's card cannot be posted. */
function refuseNewThreads(bot: BotHarness) {
  bot.connector.intercept = (call) =>
    call.path === '/v3/conversations'
      ? { status: 403, body: { error: { code: 'Forbidden' } } }
      : undefined;
}

describe('the summary command', () => {
  let bot: BotHarness;

  beforeEach(async () => {
    bot = await BotHarness.start();
  });

  afterEach(async () => {
    await bot.stop();
  });

  it('answers in the incident’s thread with its card in the reader’s time zone', async () => {
    await bot.send(channelCommand('declare Exchange Online mail delays sev2'));
    const incident = await newest(bot);
    const timeZone = [{ type: 'clientInfo', timezone: 'America/Los_Angeles' }];

    await bot.send(
      inThread(incident, 'summary', { entities: [...channelCommand('').entities, ...timeZone] }),
    );

    const answer = bot.connector.sent().at(-1);
    assert.equal(answer?.conversationId, incident.place?.conversationId);
    assert.match(
      cardText(cardOf(answer?.body)),
      /Exchange Online mail delays[\s\S]*America\/Los_Angeles/,
    );
  });

  it('leaves the war room card as it was when the incident already has one', async () => {
    await bot.send(channelCommand('declare SharePoint sync failing sev3'));
    const incident = await newest(bot);

    await bot.send(channelCommand(`INC-${incident.number} summary`));

    const after = await bot.app.store.getIncident(incident.id);
    assert.deepEqual(after?.place, incident.place);
    assert.equal(cardsOf(bot, 'SharePoint sync failing').length, 2);
  });

  it('makes the card it posts the war room card of an incident whose card post failed', async () => {
    refuseNewThreads(bot);
    await bot.send(channelCommand('declare Teams meetings failing to start sev2'));
    bot.connector.intercept = undefined;
    const message = channelCommand('INC-1 summary');

    await bot.send(message);

    const incident = await newest(bot);
    const posted = bot.connector.sent().at(-1);
    assert.equal(incident.place?.conversationId, message.conversation.id);
    assert.equal(incident.place?.summaryActivityId, posted?.response.id);
  });

  it('suggests the summary command when the card of a declaration could not be posted', async () => {
    refuseNewThreads(bot);

    await bot.send(channelCommand('declare VPN down for Sydney'));

    const incident = await newest(bot);
    assert.equal(incident.place, null);
    assert.match(bot.connector.sent().at(-1)?.body.text, /“INC-0001 summary” posts the card here/);
  });

  it('keeps the card it posted up to date when a status is pressed later', async () => {
    refuseNewThreads(bot);
    await bot.send(channelCommand('declare Teams meetings failing to start sev2'));
    bot.connector.intercept = undefined;
    await bot.send(channelCommand('INC-1 summary'));
    const incident = await newest(bot);

    await bot.send(cardPress('incident.status', { incidentId: incident.id, status: 'identified' }));

    await bot.connector.waitFor(() => bot.connector.updates().length > 0);
    const update = bot.connector.updates()[0];
    assert.equal(update.activityId, incident.place?.summaryActivityId);
    assert.match(cardText(cardOf(update.body)), /Identified/);
  });

  it('posts the card once when Teams delivers the same message twice', async () => {
    await bot.send(channelCommand('declare Outlook search broken sev3'));
    const message = channelCommand('INC-1 summary');

    await bot.send(message);
    await bot.send(message);

    assert.equal(cardsOf(bot, 'Outlook search broken').length, 2);
  });

  it('treats the number of another tenant’s incident as missing and posts no card', async () => {
    await bot.send(channelCommand('declare Payroll portal down sev1'));
    const message = channelCommand('INC-1 summary');
    message.channelData = { ...message.channelData, tenant: { id: FIXTURE_TENANTS[1] } };
    message.conversation = { ...message.conversation, tenantId: FIXTURE_TENANTS[1] };

    await bot.send(message);

    assert.match(bot.connector.sent().at(-1)?.body.text, /INC-0001 does not exist/);
    assert.equal(cardsOf(bot, 'Payroll portal down').length, 1);
  });

  it('does not take another incident’s thread when its card is posted there', async () => {
    await bot.send(channelCommand('declare Outlook search broken sev3'));
    const other = await newest(bot);
    refuseNewThreads(bot);
    await bot.send(channelCommand('declare Teams meetings failing to start sev2'));
    bot.connector.intercept = undefined;

    // The newer incident would win the thread, were it recorded as the thread's war room.
    await bot.send(inThread(other, 'INC-2 summary'));
    await bot.send(inThread(other, 'status identified'));

    assert.equal((await bot.app.store.getIncidentByNumber(TENANT, 2))?.place?.mode, 'chat');
    assert.equal((await bot.app.store.getIncident(other.id))?.status, 'identified');
  });
});
