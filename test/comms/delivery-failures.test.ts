import assert from 'node:assert/strict';
import { commsStateOf } from '../../src/sandbox/routes-comms';
import { SANDBOX_USERS } from '../../src/sandbox/seed-tenant';
import { BotHarness, cardPress, channelCommand } from '../support/bot-harness';
import {
  COMMS_TENANT,
  FAST_DELIVERY,
  isStakeholderPost,
  personalChats,
  personalMessage,
  roomCommand,
  stakeholderDeliveries,
  waitUntil,
} from '../support/comms-kit';

const APP_ID = '5a1c0e2b-0000-4000-8000-00000000a99';

async function startWithIncident(env: Record<string, string> = {}) {
  const bot = await BotHarness.start({ env: { ...FAST_DELIVERY, ...env } });
  await bot.send(channelCommand('declare Exchange Online mail delays sev2'));
  const [incident] = await bot.app.store.listIncidents(COMMS_TENANT, { openOnly: false, limit: 1 });
  return { bot, room: incident.place!.conversationId, incidentId: incident.id };
}

/** The bot's last text reply, markdown escapes removed (as Teams shows it). */
function lastReply(bot: BotHarness): string {
  return (bot.connector.sent().at(-1)?.body?.text ?? '').replace(/\\(.)/g, '$1');
}

/** Follow pressed in a channel by a person with these ids. */
function followPress(incidentId: string, who: { teamsId: string; aadId: string; name: string }) {
  return cardPress(
    'comms.follow',
    { incidentId },
    { from: { id: who.teamsId, name: who.name, aadObjectId: who.aadId } },
  );
}

describe('deliveries Teams refuses', () => {
  let bot: BotHarness;
  let room: string;
  const attempts = new Map<string, number>();

  before(async () => {
    ({ bot, room } = await startWithIncident());
    for (let n = 1; n <= 4; n++) await bot.send(personalMessage(n, 'subscribe'));
    // Person 1 blocked the bot, person 2's chat is gone, 3 and 4 meet passing trouble.
    const answers: Record<string, number[]> = {
      'a:chat-person-1': [403],
      'a:chat-person-2': [404],
      'a:chat-person-3': [503, 412],
      'a:chat-person-4': [502, 504],
    };
    bot.connector.intercept = (call) => {
      const planned =
        call.conversationId && isStakeholderPost(call) ? answers[call.conversationId] : undefined;
      if (!planned) return undefined;
      const attempt = (attempts.get(call.conversationId!) ?? 0) + 1;
      attempts.set(call.conversationId!, attempt);
      const status = planned[attempt - 1];
      if (!status) return undefined;
      const code =
        status === 403
          ? 'ConversationBlockedByUser'
          : status === 404
            ? 'ConversationNotFound'
            : 'ServiceError';
      return { status, body: { error: { code, message: 'no' } } };
    };
    await bot.send(roomCommand(room, 'update Mail is delayed.'));
    await waitUntil(
      'the retried ones',
      () => stakeholderDeliveries(bot.connector.calls).size === 3,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  after(async () => {
    await bot.stop();
  });

  it('retries 503, 412, 502 and 504 with backoff until the send goes through', () => {
    assert.equal(attempts.get('a:chat-person-3'), 3);
    assert.equal(attempts.get('a:chat-person-4'), 3);
  });

  it('treats 403 and 404 as final: one attempt each', () => {
    assert.equal(attempts.get('a:chat-person-1'), 1);
    assert.equal(attempts.get('a:chat-person-2'), 1);
  });

  it('lists the failed recipients with the reason in `comms`', async () => {
    await bot.send(roomCommand(room, 'comms'));
    const text = lastReply(bot);
    assert.match(text, /4 sent, 0 pending, 2 failed/);
    assert.match(
      text,
      /Person 1: blocked, app not installed or not in the conversation \(403 ConversationBlockedByUser\)/,
    );
    assert.match(text, /Person 2: conversation gone \(404 ConversationNotFound\)/);
  });
});

describe('Follow on a stakeholder post', () => {
  let bot: BotHarness;
  let room: string;
  let incidentId: string;
  const riley = { teamsId: '29:riley', aadId: SANDBOX_USERS.riley.id, name: 'Riley Placeholder' };
  const jordan = { teamsId: '29:jordan', aadId: SANDBOX_USERS.jordan.id, name: 'Jordan Sample' };

  before(async () => {
    ({ bot, room, incidentId } = await startWithIncident({ TEAMS_APP_CATALOG_ID: APP_ID }));
    // Riley has the app; Jordan gets it only once Graph installs it for him.
    personalChats(
      bot.connector,
      (member) =>
        member === riley.teamsId ||
        Boolean(commsStateOf(bot.graph.state).installedApps.get(jordan.aadId)?.has(APP_ID)),
    );
  });

  after(async () => {
    await bot.stop();
  });

  it('subscribes the presser and opens their 1:1 chat at once', async () => {
    const answer = await bot.send(followPress(incidentId, riley));
    assert.match(answer.body.value, /You now follow INC-0001; its updates come to your chat/);
    assert.ok(bot.connector.created().some((c) => c.response?.id === `a:dm-${riley.teamsId}`));
  });

  it('installs the app through Graph for a follower who lacks it, then delivers to them', async () => {
    await bot.send(followPress(incidentId, jordan));
    await bot.send(roomCommand(room, 'update Mail is delayed.'));
    await waitUntil('both followers', () => {
      const counts = stakeholderDeliveries(bot.connector.calls);
      return counts.has(`a:dm-${riley.teamsId}`) && counts.has(`a:dm-${jordan.teamsId}`);
    });
    const installs = bot.graph.requests.filter((r) => r.path.endsWith('/teamwork/installedApps'));
    assert.equal(installs.length, 1);
    assert.match(JSON.stringify(installs[0].body), new RegExp(`teamsApps/${APP_ID}`));
  });
});

describe('a follower without the app and no TEAMS_APP_CATALOG_ID', () => {
  it('is reported as unreachable in `comms`', async () => {
    const { bot, room, incidentId } = await startWithIncident();
    try {
      personalChats(bot.connector, () => false);
      await bot.send(
        followPress(incidentId, { teamsId: '29:sam', aadId: 'aad-sam', name: 'Sam Nobody' }),
      );
      await bot.send(roomCommand(room, 'update Mail is delayed.'));
      await waitUntil('the failure', async () => {
        await bot.send(roomCommand(room, 'comms'));
        return /1 failed/.test(lastReply(bot));
      });
      assert.match(
        lastReply(bot),
        /Sam Nobody: unreachable: the app is not installed for this person \(403\)/,
      );
      assert.equal(bot.graph.requests.filter((r) => r.path.endsWith('/installedApps')).length, 0);
    } finally {
      await bot.stop();
    }
  });
});

describe('deliveries that must wait rather than fail', () => {
  let bot: BotHarness;
  const attempts = new Map<string, number>();

  before(async () => {
    let room: string;
    // Two real failures are the most any delivery may have.
    ({ bot, room } = await startWithIncident({ DELIVERY_MAX_ATTEMPTS: '2' }));
    for (let n = 1; n <= 2; n++) await bot.send(personalMessage(n, 'subscribe'));
    // Person 1 is throttled five times over; person 2's chat keeps failing.
    const planned: Record<string, number[]> = {
      'a:chat-person-1': [429, 429, 429, 429, 429],
      'a:chat-person-2': [503, 503, 503, 503],
    };
    bot.connector.intercept = (call) => {
      const statuses =
        call.conversationId && isStakeholderPost(call) ? planned[call.conversationId] : undefined;
      if (!statuses) return undefined;
      const attempt = (attempts.get(call.conversationId!) ?? 0) + 1;
      attempts.set(call.conversationId!, attempt);
      const status = statuses[attempt - 1];
      if (!status) return undefined;
      const headers: Record<string, string> = status === 429 ? { 'retry-after': '0.05' } : {};
      return {
        status,
        headers,
        body: { error: { code: status === 429 ? 'Throttled' : 'ServiceError', message: 'no' } },
      };
    };
    await bot.send(roomCommand(room, 'update Mail is delayed.'));
    await waitUntil('person 1 reached', () => (attempts.get('a:chat-person-1') ?? 0) >= 6);
    await new Promise((resolve) => setTimeout(resolve, 300));
  });

  after(async () => {
    await bot.stop();
  });

  it('keeps a throttled delivery until Teams takes it, however often it says wait', () => {
    const delivered = stakeholderDeliveries(bot.connector.calls);
    assert.equal(attempts.get('a:chat-person-1'), 6);
    assert.equal(delivered.get('a:chat-person-1'), 1);
  });

  it('still gives up on a delivery that fails for real, after the set number of attempts', () => {
    assert.equal(attempts.get('a:chat-person-2'), 2);
  });
});
