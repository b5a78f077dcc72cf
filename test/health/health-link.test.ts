import assert from 'node:assert/strict';
import { healthOf } from '../../src/sandbox/routes-health';
import { BotHarness, cardPress, channelCommand, FIXTURE_TENANTS } from '../support/bot-harness';
import {
  answerTo,
  cardFor,
  declareIncident,
  healthEntries,
  linkButtons,
  roomCommand,
} from './health-kit';

describe('adding a service health issue to an incident’s timeline', () => {
  let bot: BotHarness;
  let incident: Awaited<ReturnType<typeof declareIncident>>;

  before(async () => {
    bot = await BotHarness.start();
    incident = await declareIncident(bot, 'Teams meetings fail to start sev2');
  });

  after(() => bot.stop());

  afterEach(() => bot.graph.clearFaults());

  it('offers a button per open issue in the incident’s thread, and none elsewhere', async () => {
    const inRoom = await cardFor(bot, roomCommand(incident.room, 'health'));
    const elsewhere = await cardFor(bot, channelCommand('health'));

    assert.deepEqual(linkButtons(inRoom), [
      { incidentId: incident.id, issueId: 'TM512345' },
      { incidentId: incident.id, issueId: 'SP498765' },
    ]);
    assert.deepEqual(linkButtons(elsewhere), []);
  });

  it('adds the issue once, however often the button is pressed', async () => {
    const press = () => cardPress('health.link', { incidentId: incident.id, issueId: 'TM512345' });

    const first = await bot.send(press());
    const second = await bot.send(press());

    assert.deepEqual(
      [first.body.value, second.body.value],
      [
        'Added TM512345 (Microsoft Teams) to the INC-0001 timeline.',
        'TM512345 is already on the INC-0001 timeline, unchanged since.',
      ],
    );
    assert.equal((await healthEntries(bot, incident.id)).length, 1);
  });

  it('writes what Graph says of the issue, in UTC, on the timeline', async () => {
    const [entry] = await healthEntries(bot, incident.id);

    assert.match(
      entry.text,
      /^Microsoft 365 service health incident TM512345 · Microsoft Teams · Degraded · since \d{4}-\d\d-\d\d \d\d:\d\d UTC: Users may be unable to join Teams meetings/,
    );
  });

  it('adds it again once Microsoft has changed the issue', async () => {
    const [teams] = healthOf(bot.graph.state).overviews.filter((o) => o.id === 'microsoftteams');
    const issue = (teams.issues as Array<Record<string, unknown>>)[0];
    Object.assign(issue, {
      status: 'restoringService',
      lastModifiedDateTime: new Date().toISOString(),
    });

    const answer = await answerTo(bot, roomCommand(incident.room, 'health link TM512345'));

    assert.equal(answer, 'Added TM512345 (Microsoft Teams) to the INC-0001 timeline.');
    assert.match((await healthEntries(bot, incident.id))[0].text, /Restoring service/);
  });

  it('takes health link with the incident named outside its thread', async () => {
    const answer = await answerTo(bot, channelCommand('INC-1 health link SP498765'));

    assert.equal(answer, 'Added SP498765 (SharePoint Online) to the INC-0001 timeline.');
  });

  it('asks for the incident when health link is used outside one', async () => {
    const answer = await answerTo(bot, channelCommand('health link SP498765'));

    assert.match(answer, /Name the incident/);
  });

  it('says so for an issue Graph does not know, and adds nothing', async () => {
    const before = (await healthEntries(bot, incident.id)).length;

    const answer = await answerTo(bot, roomCommand(incident.room, 'health link EX000001'));

    assert.match(answer, /has no issue EX000001/);
    assert.equal((await healthEntries(bot, incident.id)).length, before);
  });

  it('refuses an issue id that is not letters and digits before asking Graph', async () => {
    const before = bot.graph.requests.length;

    const answer = await answerTo(bot, roomCommand(incident.room, 'health link ../../users'));

    assert.match(answer, /letters and digits/);
    assert.equal(bot.graph.requests.length, before);
  });

  it('treats a button naming another tenant’s incident as missing', async () => {
    const other = FIXTURE_TENANTS[1];
    await bot.send(
      channelCommand('declare Elsewhere', {
        conversation: { ...channelCommand('').conversation, tenantId: other, id: '19:other' },
        channelData: { ...channelCommand('').channelData, tenant: { id: other } },
      }),
    );
    const [foreign] = await bot.app.store.listIncidents(other, { openOnly: false, limit: 1 });

    const answer = await bot.send(
      cardPress('health.link', { incidentId: foreign.id, issueId: 'TM512345' }),
    );

    assert.equal(answer.body.value, 'That incident does not exist.');
    assert.deepEqual(await healthEntries(bot, foreign.id), []);
  });

  it('offers no buttons and takes no entry once the incident is closed', async () => {
    await bot.send(roomCommand(incident.room, 'status resolved'));
    await bot.send(roomCommand(incident.room, 'status closed'));

    const card = await cardFor(bot, roomCommand(incident.room, 'health'));
    const answer = await answerTo(bot, roomCommand(incident.room, 'health link SP498765'));

    assert.deepEqual(linkButtons(card), []);
    assert.match(answer, /closed and can no longer change/);
  });
});
