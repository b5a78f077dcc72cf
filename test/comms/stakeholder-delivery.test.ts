import assert from 'node:assert/strict';
import { BotHarness, channelCommand } from '../support/bot-harness';
import {
  COMMS_TENANT,
  FAST_DELIVERY,
  isStakeholderPost,
  personalMessage,
  roomCommand,
  stakeholderDeliveries,
  throttle,
  waitUntil,
  type Throttle,
} from '../support/comms-kit';

const SUBSCRIBERS = 30;

async function declareIn(bot: BotHarness, title: string): Promise<string> {
  await bot.send(channelCommand(`declare ${title} sev2`));
  const [incident] = await bot.app.store.listIncidents(COMMS_TENANT, { openOnly: false, limit: 1 });
  return incident.place!.conversationId;
}

describe('stakeholder updates through the HTTP endpoint, with Teams throttling a share of sends', () => {
  let bot: BotHarness;
  let room: string;
  let throttled: Throttle;
  let firstRoundMs: number;

  before(async () => {
    bot = await BotHarness.start({ env: FAST_DELIVERY });
    throttled = throttle(bot.connector, { share: 0.3, retryAfterSeconds: [0.05, 0.1, 0.2] });
    for (let n = 1; n <= SUBSCRIBERS; n++) await bot.send(personalMessage(n, 'subscribe'));
    room = await declareIn(bot, 'Exchange Online mail delays');

    const started = Date.now();
    await bot.send(roomCommand(room, 'update Mail is delayed by about 20 minutes.'));
    await waitUntil(
      'every recipient',
      () => stakeholderDeliveries(bot.connector.calls).size === SUBSCRIBERS + 1,
    );
    firstRoundMs = Date.now() - started;
  });

  after(async () => {
    await bot.stop();
  });

  it('delivers the update exactly once to each of 30 subscribers and the stakeholder channel', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const counts = stakeholderDeliveries(bot.connector.calls);
    assert.equal(counts.size, SUBSCRIBERS + 1);
    assert.deepEqual([...new Set(counts.values())], [1]);
    console.log(
      `      (30 subscribers + channel: ${throttled.injected} × 429 injected, ${firstRoundMs} ms)`,
    );
  });

  it('honoured the throttling: some sends were answered 429 and retried', () => {
    const posts = bot.connector.calls.filter(isStakeholderPost);
    assert.ok(throttled.injected > 0);
    assert.equal(posts.length, SUBSCRIBERS + 1 + throttled.injected);
  });
});
