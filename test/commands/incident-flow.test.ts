import assert from 'node:assert/strict';
import { SANDBOX_TEAM } from '../../src/sandbox/seed-tenant';
import {
  BotHarness,
  cardOf,
  cardPress,
  cardText,
  channelCommand,
  FIXTURE_TENANTS,
} from '../support/bot-harness';

const TENANT = FIXTURE_TENANTS[0];

async function declared(bot: BotHarness) {
  const [incident] = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 1 });
  return incident;
}

describe('declaring an incident in channel mode', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start({ channelMode: true });
  });

  after(async () => {
    await bot.stop();
  });

  it('names the channel within Teams rules while the card keeps the title intact', async () => {
    const title = 'Mail 📪📮 down: EU/US <all> "VIP" & more ~ #1';
    await bot.send(channelCommand(`declare ${title} sev1`));

    const channelPost = bot.graph.requests.find(
      (r) => r.method === 'POST' && r.path.endsWith('/channels'),
    );
    const firstPost = bot.connector.created()[0];
    assert.match(
      (channelPost?.body as { displayName: string }).displayName,
      /^INC-0001 Mail down EU US all VIP more 1$/,
    );
    assert.match(
      cardText(cardOf(firstPost.body.activity)),
      /Mail 📪📮 down: EU\/US <all> "VIP" & more ~ #1/,
    );
  });

  it('posts the summary card as the new channel’s first post and links to it where declared', async () => {
    const incident = await declared(bot);
    const answer = bot.connector.sent().at(-1);

    assert.equal(incident.place?.mode, 'channel');
    assert.match(JSON.stringify(cardOf(answer?.body)), /Open the incident channel/);
  });

  it('falls back to a thread and says why when Graph refuses to create the channel', async () => {
    bot.graph.failNext('POST', /\/channels$/, 403, {
      error: { code: 'Forbidden', message: 'Missing role permissions', innerError: {} },
    });

    await bot.send(channelCommand('declare VPN down for Sydney'));

    const incident = await declared(bot);
    const thread = bot.connector.created().at(-1);
    assert.equal(incident.place?.mode, 'thread');
    assert.match(cardText(cardOf(thread?.body.activity)), /may not create channels/);
  });

  it('adds a role holder who is not in the incident team through Graph', async () => {
    const incident = await declared(bot);
    bot.connector.roster.set('29:morgan', {
      id: '29:morgan',
      name: 'Morgan Example',
      aadObjectId: '00000000-0000-4000-8000-000000000105',
    });
    await bot.send(channelCommand('declare Teams calls dropping sev2'));
    const channelIncident = await declared(bot);
    const channelId = channelIncident.place!.channelId!;

    await bot.send(
      channelCommand(`assign comms <at>Morgan</at> <at>Example</at>`, {
        conversation: { ...channelCommand('').conversation, id: `${channelId};messageid=1` },
        channelData: { ...channelCommand('').channelData, channel: { id: channelId } },
        entities: [
          {
            type: 'mention',
            text: '<at>Incident Commander</at>',
            mentioned: { id: '28:3fe6e7be-9ba0-4717-9ed4-0c227dab7ad2' },
          },
          {
            type: 'mention',
            text: '<at>Morgan</at>',
            mentioned: { id: '29:morgan', name: 'Morgan' },
          },
          {
            type: 'mention',
            text: '<at>Example</at>',
            mentioned: { id: '29:morgan', name: 'Example' },
          },
        ],
      }),
    );

    const memberAdds = bot.graph.requests.filter(
      (r) => r.path === `/v1.0/teams/${SANDBOX_TEAM.id}/members`,
    );
    const after = await bot.app.store.getIncident(channelIncident.id);
    assert.equal(memberAdds.length, 1);
    assert.equal(after?.roles.comms?.name, 'Morgan Example');
    void incident;
  });
});

describe('running an incident from its card', () => {
  let bot: BotHarness;
  let incidentId: string;

  before(async () => {
    bot = await BotHarness.start();
    await bot.send(channelCommand('declare Exchange Online mail delays sev2'));
    incidentId = (await declared(bot)).id;
  });

  after(async () => {
    await bot.stop();
  });

  it('answers a status press with the updated card and updates the posted card for everyone', async () => {
    const response = await bot.send(
      cardPress('incident.status', { incidentId, status: 'identified' }),
    );

    await bot.connector.waitFor(() => bot.connector.updates().length > 0);
    assert.match(cardText(response.body.value), /Identified/);
    assert.match(cardText(cardOf(bot.connector.updates()[0].body)), /Identified/);
  });

  it('folds a burst of presses into one card update a second, ending on the newest state', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = bot.connector.updates().length;
    for (const status of ['monitoring', 'identified', 'monitoring', 'investigating']) {
      await bot.send(cardPress('incident.status', { incidentId, status }));
    }

    await bot.connector.waitFor(() => bot.connector.updates().length >= before + 2);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const updates = bot.connector.updates().slice(before);
    assert.equal(updates.length, 2);
    assert.match(cardText(cardOf(updates[1].body)), /Investigating\n/);
  });

  it('changes nothing twice when the same press is delivered again or double-clicked', async () => {
    const press = cardPress('incident.acknowledge', { incidentId });
    await bot.send(press);
    await bot.send(press);
    await bot.send(cardPress('incident.acknowledge', { incidentId }));

    const timeline = await bot.app.store.listTimeline(incidentId, { offset: 0, limit: 50 });
    assert.equal(timeline.filter((entry) => entry.kind === 'acknowledged').length, 1);
  });

  it('writes the acknowledgement without repeating who acknowledged, as the card shows them', async () => {
    const timeline = await bot.app.store.listTimeline(incidentId, { offset: 0, limit: 50 });

    const entry = timeline.find((candidate) => candidate.kind === 'acknowledged');
    assert.equal(entry?.text, 'Acknowledged');
    assert.ok(entry?.actor.name);
  });

  it('adds a note from the card once even when the button is pressed twice', async () => {
    const data = { incidentId, note: 'Rolled back the transport rule ✅', cardVersion: '3' };
    await bot.send(cardPress('timeline.note', data));
    await bot.send(cardPress('timeline.note', data));

    const timeline = await bot.app.store.listTimeline(incidentId, { offset: 0, limit: 50 });
    assert.equal(timeline.filter((entry) => entry.kind === 'note').length, 1);
  });

  it('refuses a move the lifecycle does not allow and keeps the status', async () => {
    await bot.send(cardPress('incident.status', { incidentId, status: 'resolved' }));
    await bot.send(cardPress('incident.status', { incidentId, status: 'closed' }));

    const response = await bot.send(
      cardPress('incident.status', { incidentId, status: 'investigating' }),
    );

    assert.match(response.body.value, /closed and can no longer change/);
    assert.equal((await bot.app.store.getIncident(incidentId))?.status, 'closed');
  });

  it('treats an incident of another tenant named in card data as missing', async () => {
    const press = cardPress('incident.status', { incidentId, status: 'identified' });
    press.channelData = { ...press.channelData, tenant: { id: FIXTURE_TENANTS[1] } };
    press.conversation = { ...press.conversation, tenantId: FIXTURE_TENANTS[1] };

    const response = await bot.send(press);

    assert.equal(response.body.type, 'application/vnd.microsoft.activity.message');
    assert.match(response.body.value, /does not exist/);
  });
});

describe('typed commands', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start();
  });

  after(async () => {
    await bot.stop();
  });

  beforeEach(() => {
    bot.connector.calls.length = 0;
  });

  it('declares once when Teams delivers the same message twice', async () => {
    const message = channelCommand('/incident declare SharePoint sync failing sev3');
    await bot.send(message);
    await bot.send(message);

    const incidents = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 10 });
    assert.equal(incidents.length, 1);
  });

  it('keeps a declaration whose card cannot be posted and says how to reach it', async () => {
    const channelId = channelCommand('').channelData.channel.id;
    bot.connector.unknownChannels.add(channelId);

    await bot.send(channelCommand('declare Teams meetings failing to start sev2'));

    bot.connector.unknownChannels.delete(channelId);
    const [incident] = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 1 });
    assert.equal(incident.title, 'Teams meetings failing to start');
    assert.match(bot.connector.sent().at(-1)?.body.text, /could not be posted; use INC-0002/);
  });

  it('names the problem and the right form for a bad argument, changing nothing', async () => {
    await bot.send(channelCommand('INC-1 sev 9'));

    const incident = await bot.app.store.getIncidentByNumber(TENANT, 1);
    assert.match(
      bot.connector.sent()[0].body.text,
      /Severity is a number from 1 to 4\. Use: sev ‹1-4›/,
    );
    assert.equal(incident?.severity, 3);
  });

  it('asks which incident when a command is used outside any incident’s room', async () => {
    await bot.send(channelCommand('status monitoring'));

    assert.match(bot.connector.sent()[0].body.text, /Name the incident/);
  });

  it('refuses a title over 200 characters with the limit named', async () => {
    await bot.send(channelCommand(`declare ${'x'.repeat(201)}`));

    assert.match(bot.connector.sent()[0].body.text, /at most 200 characters/);
  });

  it('shows the timeline in the reader’s time zone and says which', async () => {
    const timeZoneEntities = [{ type: 'clientInfo', timezone: 'America/Los_Angeles' }];
    await bot.send(channelCommand('INC-1 note Failover to the secondary site started', {}));
    await bot.send(
      channelCommand('INC-1 timeline', {
        entities: [...channelCommand('').entities, ...timeZoneEntities],
      }),
    );

    const card = cardText(cardOf(bot.connector.sent().at(-1)?.body));
    assert.match(card, /Times in America\/Los_Angeles/);
    assert.match(card, /Failover to the secondary site started/);
  });

  it('shows the last timeline page for a page number past any database offset', async () => {
    await bot.send(channelCommand('INC-1 timeline 99999999999999999999'));

    const reply = bot.connector.sent()[0].body;
    assert.doesNotMatch(reply.text ?? '', /went wrong/);
    assert.match(cardText(cardOf(reply)), /Page 1 of 1/);
  });
});
