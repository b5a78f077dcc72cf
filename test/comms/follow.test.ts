import assert from 'node:assert/strict';
import { formatIncidentNumber } from '../../src/incidents/incident';
import { SqlCommsStore } from '../../src/store/sql-comms-store';
import { BotHarness, cardPress, channelCommand, loadTeamsFixture } from '../support/bot-harness';
import {
  COMMS_TENANT,
  FAST_DELIVERY,
  personalChats,
  personalMessage,
  roomCommand,
  STAKEHOLDER_CHANNEL,
  stakeholderDeliveries,
  waitUntil,
} from '../support/comms-kit';

/** Person `n` of personalMessage, pressing Follow on a stakeholder post in a channel. */
function followPress(incidentId: string, n: number) {
  return cardPress(
    'comms.follow',
    { incidentId },
    { from: { id: `29:person-${n}`, name: `Person ${n}`, aadObjectId: `aad-person-${n}` } },
  );
}

/** Where person `n`'s updates land: the 1:1 chat the fake connector opens for them. */
const chatOf = (n: number) => `a:dm-29:person-${n}`;

function declareSubmit(title: string, affectedServices: string) {
  const activity = loadTeamsFixture('08-task-submit.json');
  const data = { dialog: 'incident.declare', title, severity: '2', affectedServices };
  return { ...activity, id: `submit-${Math.random()}`, value: { ...activity.value, data } };
}

describe('Follow on a stakeholder post', () => {
  let bot: BotHarness;
  let comms: SqlCommsStore;

  before(async () => {
    bot = await BotHarness.start({ env: FAST_DELIVERY });
    personalChats(bot.connector);
    comms = new SqlCommsStore(bot.app.store.database, bot.app.store.dialect);
  });

  after(async () => {
    await bot.stop();
  });

  /** Declares with `declare <title>` (no services) or through the form with services. */
  async function declare(title: string, services?: string) {
    await bot.send(
      services === undefined
        ? channelCommand(`declare ${title} sev2`)
        : declareSubmit(title, services),
    );
    const [incident] = await bot.app.store.listIncidents(COMMS_TENANT, {
      openOnly: false,
      limit: 1,
    });
    return incident;
  }

  async function follow(incidentId: string, n: number): Promise<string> {
    const answer = await bot.send(followPress(incidentId, n));
    return String(answer.body?.value ?? '');
  }

  /** Posts an update and waits until the stakeholder channel has it, so fan-out is done. */
  async function postUpdate(room: string, text: string) {
    const before = stakeholderDeliveries(bot.connector.calls).get(STAKEHOLDER_CHANNEL) ?? 0;
    await bot.send(roomCommand(room, `update ${text}`));
    await waitUntil('the stakeholder channel post', () => {
      const now = stakeholderDeliveries(bot.connector.calls).get(STAKEHOLDER_CHANNEL) ?? 0;
      return now > before;
    });
  }

  const deliveredTo = (n: number) => stakeholderDeliveries(bot.connector.calls).get(chatOf(n));

  it('follows that incident alone when it names no services, not every incident', async () => {
    const incident = await declare('Being assessed outage');

    const answer = await follow(incident.id, 1);

    assert.match(answer, /^You now follow INC-\d+; its updates come to your chat with me\./);
    assert.deepEqual(await comms.listSubscriptions(COMMS_TENANT, 'aad-person-1'), []);
  });

  it('brings the followed incident’s updates to the follower’s chat, and no other’s', async () => {
    const followed = await declare('Followed outage');
    await follow(followed.id, 2);
    const other = await declare('Other outage');

    await postUpdate(other.place!.conversationId, 'Someone else’s incident.');
    await postUpdate(followed.place!.conversationId, 'Being assessed.');

    await waitUntil('the follower', () => deliveredTo(2) !== undefined);
    assert.equal(deliveredTo(2), 1);
  });

  it('says so when pressed again and adds nothing', async () => {
    const incident = await declare('Twice followed outage');
    await follow(incident.id, 3);

    const again = await follow(incident.id, 3);

    assert.match(again, /^You already follow INC-\d+;/);
    assert.equal((await comms.listIncidentSubscriptions(incident.id)).length, 1);
  });

  it('follows the services of an incident that names some, as before', async () => {
    const incident = await declare('Outlook cannot connect', 'Exchange Online, Outlook');

    const answer = await follow(incident.id, 4);

    const keys = (await comms.listSubscriptions(COMMS_TENANT, 'aad-person-4')).map(
      (s) => s.service,
    );
    assert.match(answer, /^You now follow updates for Exchange Online, Outlook;/);
    assert.deepEqual(keys.sort(), ['exchange online', 'outlook']);
  });

  it('says a second press on a post of those services changes nothing', async () => {
    const incident = await declare('Outlook still cannot connect', 'Exchange Online, Outlook');

    const answer = await follow(incident.id, 4);

    assert.match(answer, /^You already follow updates for Exchange Online, Outlook;/);
    assert.equal((await comms.listSubscriptions(COMMS_TENANT, 'aad-person-4')).length, 2);
  });

  it('tells someone subscribed to all incidents that they get this one already', async () => {
    await bot.send(personalMessage(5, 'subscribe'));
    const incident = await declare('Everyone’s outage');

    const answer = await follow(incident.id, 5);

    assert.match(answer, /^You already get updates for all incidents, INC-\d+ among them;/);
    assert.deepEqual(await comms.listIncidentSubscriptions(incident.id), []);
  });
});

describe('unsubscribe after Follow', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start({ env: FAST_DELIVERY });
    personalChats(bot.connector);
  });

  after(async () => {
    await bot.stop();
  });

  async function followedIncident(n: number): Promise<string> {
    await bot.send(channelCommand('declare Being assessed outage sev2'));
    const [incident] = await bot.app.store.listIncidents(COMMS_TENANT, {
      openOnly: false,
      limit: 1,
    });
    await bot.send(followPress(incident.id, n));
    return formatIncidentNumber(incident.number);
  }

  async function say(n: number, text: string): Promise<string> {
    const activity = personalMessage(n, text);
    await bot.send(activity);
    const answer = bot.connector.sent().find((call) => call.body?.replyToId === activity.id);
    return String(answer?.body?.text ?? '');
  }

  it('stops following one incident with “unsubscribe INC-…”', async () => {
    const number = await followedIncident(1);

    const answer = await say(1, `unsubscribe ${number}`);

    assert.equal(answer, `You no longer follow ${number}.`);
    assert.match(await say(1, `unsubscribe ${number}`), /were not following/);
  });

  it('names the followed incidents a bare unsubscribe removed', async () => {
    const number = await followedIncident(2);
    await say(2, 'subscribe Exchange');

    const answer = await say(2, 'unsubscribe');

    assert.equal(
      answer,
      `You will no longer get stakeholder updates for exchange and for ${number}.`,
    );
  });
});
