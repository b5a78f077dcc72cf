import assert from 'node:assert/strict';
import { SANDBOX_TEAM, SANDBOX_USERS } from '../../src/sandbox/seed-tenant';
import {
  BotHarness,
  cardPress,
  cardText,
  channelCommand,
  FIXTURE_TENANTS,
  loadTeamsFixture,
} from '../support/bot-harness';

const TENANT = FIXTURE_TENANTS[0];

function dialogSubmit(data: Record<string, unknown>) {
  const activity = loadTeamsFixture('08-task-submit.json');
  return { ...activity, id: `submit-${Math.random()}`, value: { ...activity.value, data } };
}

function messageAction(name: string, commandId: string, extra: Record<string, unknown> = {}) {
  const activity = loadTeamsFixture('15-me-message-action-messagepayload.json');
  return {
    ...activity,
    id: `action-${Math.random()}`,
    name,
    channelData: { ...activity.channelData, tenant: { id: TENANT } },
    conversation: { ...activity.conversation, tenantId: TENANT },
    value: { ...activity.value, commandId, ...extra },
  };
}

describe('the declare dialog', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start();
  });

  after(async () => {
    await bot.stop();
  });

  it('shows the form again with the problem when the title is empty, storing nothing', async () => {
    const response = await bot.send(
      dialogSubmit({ dialog: 'incident.declare', title: '  ', severity: '2' }),
    );

    const incidents = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 5 });
    assert.match(JSON.stringify(response.body.task.value.card.content), /A title is required/);
    assert.equal(incidents.length, 0);
  });

  it('declares with the impact fields from the form', async () => {
    const response = await bot.send(
      dialogSubmit({
        dialog: 'incident.declare',
        title: 'Outlook cannot connect',
        severity: '1',
        affectedServices: 'Exchange Online, Outlook',
        affectedUsers: '1200',
        impactScope: 'organisation',
      }),
    );

    const [incident] = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 1 });
    assert.match(response.body.task.value, /INC-0001 declared/);
    assert.deepEqual(
      [incident.severity, incident.affectedServices, incident.affectedUsers, incident.impactScope],
      [1, ['Exchange Online', 'Outlook'], 1200, 'organisation'],
    );
  });
});

describe('message actions', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start();
  });

  after(async () => {
    await bot.stop();
  });

  it('declares from a message through “Declare incident”', async () => {
    const response = await bot.send(
      messageAction('composeExtension/submitAction', 'declareIncident', {
        data: { title: 'Legacy Pager Webhook - Hi', severity: '3', description: 'from a message' },
      }),
    );

    const [incident] = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 1 });
    assert.equal(response.body.task.type, 'message');
    assert.equal(incident.title, 'Legacy Pager Webhook - Hi');
  });

  it('adds a message to the chosen incident’s timeline through “Add to timeline”', async () => {
    const fetched = await bot.send(messageAction('composeExtension/fetchTask', 'addToTimeline'));
    await bot.send(
      messageAction('composeExtension/submitAction', 'addToTimeline', {
        data: { incidentNumber: '1', note: 'Casey Fictional: Legacy Pager Webhook - Hi' },
      }),
    );

    const [incident] = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 1 });
    const timeline = await bot.app.store.listTimeline(incident.id, { offset: 0, limit: 1 });
    assert.match(JSON.stringify(fetched.body.task.value.card.content), /INC-0001/);
    assert.equal(timeline[0].text, 'Casey Fictional: Legacy Pager Webhook - Hi');
  });
});

describe('assigning a role with the people picker in channel mode', () => {
  let bot: BotHarness;
  let incidentId: string;

  before(async () => {
    bot = await BotHarness.start({ channelMode: true });
    await bot.send(channelCommand('declare Conditional Access locking out admins sev1'));
    [{ id: incidentId }] = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 1 });
  });

  after(async () => {
    await bot.stop();
  });

  it('names the picked person from the directory and @mentions them in the war room', async () => {
    const response = await bot.send(
      cardPress('role.assign', { incidentId, role: 'ops', person: SANDBOX_USERS.jordan.id }),
    );

    await bot.connector.waitFor((calls) =>
      calls.some((call) => /<at>/.test(call.body?.text ?? '')),
    );
    const announcement = bot.connector.sent().find((call) => /<at>/.test(call.body?.text ?? ''));
    assert.match(cardText(response.body.value), new RegExp(SANDBOX_USERS.jordan.displayName));
    assert.equal(announcement?.body.entities[0].mentioned.name, SANDBOX_USERS.jordan.displayName);
  });

  it('says on the card that a person must be added when Graph may not add them', async () => {
    bot.graph.failNext('POST', `/v1.0/teams/${SANDBOX_TEAM.id}/members`, 403, {
      error: { code: 'Forbidden', message: 'Insufficient privileges', innerError: {} },
    });

    const response = await bot.send(
      cardPress('role.assign', { incidentId, role: 'comms', person: SANDBOX_USERS.quinn.id }),
    );

    assert.match(cardText(response.body.value), /must be added to the incident team/);
  });
});

describe('health endpoints', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start();
  });

  after(async () => {
    await bot.stop();
  });

  it('answers /healthz and /readyz while the store is reachable', async () => {
    const health = await fetch(`${bot.app.url}/healthz`);
    const ready = await fetch(`${bot.app.url}/readyz`);

    assert.equal(health.status, 200);
    assert.equal(ready.status, 200);
  });
});

describe('card data a person never typed', () => {
  let bot: BotHarness;
  let incidentId: string;

  before(async () => {
    bot = await BotHarness.start();
    await bot.send(channelCommand('declare Intune enrolment failing sev3'));
    [{ id: incidentId }] = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 1 });
  });

  after(async () => {
    await bot.stop();
  });

  it('answers a forged severity with a sentence a person can read, changing nothing', async () => {
    const response = await bot.send(cardPress('incident.severity', { incidentId, severity: true }));

    const incident = await bot.app.store.getIncident(incidentId);
    assert.equal(response.body.value, 'Choose a severity from 1 to 4.');
    assert.equal(incident?.severity, 3);
  });

  it('never sends a picked “person” that is not an Entra object id to Graph', async () => {
    const response = await bot.send(
      cardPress('role.assign', { incidentId, role: 'ops', person: '../me' }),
    );

    assert.equal(response.body.value, 'Choose a person from the people picker.');
    assert.ok(!bot.graph.requests.some((request) => request.path.includes('..')));
  });
});
