import assert from 'node:assert/strict';
import { SANDBOX_DEFENDER_INCIDENT_ID } from '../../src/sandbox/security-seed';
import { SANDBOX_TENANT_ID } from '../../src/sandbox/seed-tenant';
import { BotHarness, cardOf, cardText } from '../support/bot-harness';
import {
  commandAs,
  SANDBOX_USERS,
  sandboxSecurity,
  securityStore,
  startSecurityBot,
} from './security-kit';

const { avery, riley } = SANDBOX_USERS;
const DEFENDER_ID = SANDBOX_DEFENDER_INCIDENT_ID;
/** A second Defender incident, added to the sandbox by the tests that re-link. */
const OTHER_DEFENDER_ID = '2972400';

/** The text of every message the bot sent in answer to the activity `activityId`. */
function answersTo(bot: BotHarness, activityId: string): string[] {
  return bot.connector
    .sent()
    .filter((call) => call.body?.replyToId === activityId)
    .map((call) => String(call.body?.text ?? '') || cardText(cardOf(call.body)));
}

async function newestIncident(bot: BotHarness) {
  const [incident] = await bot.app.store.listIncidents(SANDBOX_TENANT_ID, {
    openOnly: false,
    limit: 1,
  });
  return incident;
}

async function linkEntries(bot: BotHarness, incidentId: string): Promise<string[]> {
  const timeline = await bot.app.store.listTimeline(incidentId, { offset: 0, limit: 50 });
  return timeline.filter((e) => /Linked Defender incident/.test(e.text)).map((e) => e.text);
}

describe('security link', () => {
  let bot: BotHarness;
  let incidentId: string;
  let number: string;

  before(async () => {
    bot = await startSecurityBot();
    const other = structuredClone(sandboxSecurity(bot).incidents.get(DEFENDER_ID)!);
    sandboxSecurity(bot).incidents.set(OTHER_DEFENDER_ID, {
      ...other,
      id: OTHER_DEFENDER_ID,
      displayName: 'Second wave',
    });
    await bot.send(commandAs(avery, 'declare Credential stuffing sev2'));
    const incident = await newestIncident(bot);
    incidentId = incident.id;
    number = `INC-${incident.number}`;
  });

  after(() => bot.stop());

  async function link(id: string): Promise<string> {
    const activity = commandAs(avery, `${number} security link ${id}`);
    await bot.send(activity);
    return answersTo(bot, activity.id).join('\n');
  }

  it('adds nothing when the incident is already linked to that id, and says so', async () => {
    await link(DEFENDER_ID);

    const again = await link(DEFENDER_ID);

    assert.match(again, /is already linked to Defender incident 2972395/);
    assert.equal((await linkEntries(bot, incidentId)).length, 1);
  });

  it('replaces the link with another id and records which one it replaced', async () => {
    const answer = await link(OTHER_DEFENDER_ID);

    const link2 = await securityStore(bot).getLink(incidentId);
    assert.match(answer, /is linked to Defender incident 2972400 in place of 2972395\./);
    assert.equal(link2?.defenderIncidentId, OTHER_DEFENDER_ID);
  });

  it('puts the replacement on the timeline', async () => {
    const entries = await linkEntries(bot, incidentId);

    assert.ok(
      entries.includes('Linked Defender incident 2972400 in place of 2972395: Second wave'),
    );
  });

  it('links once for an activity Teams delivers twice at the same time', async () => {
    const activity = commandAs(avery, `${number} security link ${DEFENDER_ID}`);

    await Promise.all([bot.send(activity), bot.send(activity)]);

    const entries = await linkEntries(bot, incidentId);
    assert.equal(entries.filter((e) => /^Linked Defender incident 2972395 /.test(e)).length, 1);
  });
});
