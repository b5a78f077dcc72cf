import assert from 'node:assert/strict';
import pino from 'pino';
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

type LogLine = Record<string, unknown> & { msg: string };

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

describe('declare … defender:<id>', () => {
  let bot: BotHarness;
  const logs: LogLine[] = [];

  before(async () => {
    const logger = pino({ level: 'info' }, { write: (raw: string) => logs.push(JSON.parse(raw)) });
    bot = await startSecurityBot({ logger });
  });

  after(() => bot.stop());

  afterEach(() => bot.graph.clearFaults());

  async function declare(text: string, user = avery) {
    const activity = commandAs(user, `declare ${text}`);
    await bot.send(activity);
    return { answer: answersTo(bot, activity.id).join('\n'), incident: await newestIncident(bot) };
  }

  it('declares and says in one line that Defender has no such incident, and how to retry', async () => {
    const { answer } = await declare('Phishing wave sev1 defender:42');

    assert.match(answer, /^INC-\d+ declared\. /);
    assert.match(
      answer,
      /\n\nNot linked to Defender incident 42: Defender has no incident with that id\. Retry with “security link ‹id›” in its war room\.$/,
    );
  });

  it('links nothing for an id Defender does not know, and logs it without a stack', async () => {
    logs.length = 0;
    const { incident } = await declare('Token theft sev2 defender:43');

    const line = logs.find((l) => l.msg === 'defender link on declare refused');
    assert.equal(await securityStore(bot).getLink(incident.id), undefined);
    assert.deepEqual([line?.level, line?.kind, 'err' in (line ?? {})], [30, 'not-found', false]);
  });

  it('tells someone outside the security responders that only a responder may link', async () => {
    const { answer, incident } = await declare(`Odd sign-ins sev3 defender:${DEFENDER_ID}`, riley);

    assert.match(answer, /Not linked to Defender incident 2972395: only security responders/);
    assert.equal(await securityStore(bot).getLink(incident.id), undefined);
  });

  it('keeps the link when Graph fails to read the incident, and says it is not checked', async () => {
    bot.graph.failAlways('GET', /\/security\/incidents\//, 500);

    const { answer } = await declare(`Ransomware note sev1 defender:${DEFENDER_ID}`);

    assert.match(
      answer,
      /Defender incident 2972395 is linked but not checked: Microsoft Graph is unavailable\. “security” in its war room reads it again\./,
    );
  });

  it('puts a link that could not be checked on the timeline as not checked', async () => {
    bot.graph.failAlways('GET', /\/security\/incidents\//, 403);

    const { incident } = await declare(`Mailbox rule sev2 defender:${DEFENDER_ID}`);

    assert.deepEqual(await linkEntries(bot, incident.id), [
      'Linked Defender incident 2972395, not checked: the app may not read Defender incidents (it needs SecurityIncident.Read.All)',
    ]);
  });

  it('says nothing more when the link works, which the timeline records', async () => {
    const { answer, incident } = await declare(`Raspberry Robin sev1 defender:${DEFENDER_ID}`);

    assert.doesNotMatch(answer, /Defender/);
    assert.equal((await linkEntries(bot, incident.id)).length, 1);
  });
});

describe('declare … defender:<id> in channel mode', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await startSecurityBot({ channelMode: true });
  });

  after(() => bot.stop());

  it('puts the line about the failed link on the declared card', async () => {
    const activity = commandAs(avery, 'declare Phishing wave sev1 defender:42');

    await bot.send(activity);

    const [answer] = answersTo(bot, activity.id);
    assert.match(answer, /INC-\d+ declared: /);
    assert.match(answer, /Not linked to Defender incident 42: Defender has no incident/);
  });
});

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
