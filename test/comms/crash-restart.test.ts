import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { startSandboxGraph, type SandboxGraph } from '../../src/sandbox/sandbox-graph';
import { channelCommand } from '../support/bot-harness';
import { startBotChild, type BotChild } from '../support/bot-child';
import {
  FAST_DELIVERY,
  personalMessage,
  roomCommand,
  stakeholderDeliveries,
  throttle,
  waitUntil,
} from '../support/comms-kit';
import { FakeConnector } from '../support/fake-connector';

const SUBSCRIBERS = 30;

describe('delivery after the bot process is killed while Teams throttles it', function () {
  this.timeout(60_000);
  let dir: string;
  let connector: FakeConnector;
  let graph: SandboxGraph;
  let bots: BotChild[] = [];
  let pendingAtKill = 0;
  let deliveredBeforeKill = 0;
  let injected = 0;
  let restartMs = 0;

  const env = () => ({
    ...FAST_DELIVERY,
    DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
    GRAPH_BASE_URL: graph.url,
    // Slow enough to kill it halfway; a short lease so the restart soon takes over in-flight jobs.
    DELIVERY_GLOBAL_RPS: '8',
    DELIVERY_LEASE_SECONDS: '1',
  });

  const stakeholderSent = () => {
    const db = new BetterSqlite3(path.join(dir, 'bot.db'), { readonly: true });
    try {
      const row = db
        .prepare(
          "select sum(state = 'sent') as sent, sum(state != 'sent') as open from comms_deliveries where audience in ('subscriber', 'stakeholder-channel')",
        )
        .get() as { sent: number | null; open: number | null };
      return { sent: row.sent ?? 0, open: row.open ?? 0 };
    } finally {
      db.close();
    }
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-crash-'));
    connector = await new FakeConnector().start();
    graph = await startSandboxGraph();
    const throttled = throttle(connector, { share: 0.3, retryAfterSeconds: [0.05, 0.1, 0.2] });

    const first = await startBotChild(env());
    bots.push(first);
    for (let n = 1; n <= SUBSCRIBERS; n++)
      await first.send(personalMessage(n, 'subscribe'), connector.url);
    await first.send(channelCommand('declare Exchange Online mail delays sev2'), connector.url);
    await first.send(
      roomCommand(await roomOf(connector), 'update Mail is delayed.'),
      connector.url,
    );

    // Part delivered, then every send refused: the bot is killed while throttled.
    await waitUntil('a third delivered', () => stakeholderDeliveries(connector.calls).size >= 10);
    throttled.all = true;
    const refusedBefore = throttled.injected;
    await waitUntil('throttled sends', () => throttled.injected >= refusedBefore + 3);
    // Every post Teams accepted is recorded, so only an unanswered one could ever repeat.
    await waitUntil(
      'accepted posts recorded',
      () =>
        stakeholderSent().sent ===
        [...stakeholderDeliveries(connector.calls).values()].reduce((a, b) => a + b, 0),
    );
    await first.kill();
    ({ open: pendingAtKill, sent: deliveredBeforeKill } = stakeholderSent());

    throttled.all = false;
    const started = Date.now();
    bots.push(await startBotChild(env()));
    await waitUntil(
      'every recipient',
      () => stakeholderDeliveries(connector.calls).size === SUBSCRIBERS + 1,
      30_000,
    );
    restartMs = Date.now() - started;
    // Long enough for a stray second send (a lease running out) to show up.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    injected = throttled.injected;
  });

  after(async () => {
    for (const bot of bots) await bot.stop();
    await graph?.close();
    await connector?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('was killed with deliveries still pending', () => {
    assert.ok(pendingAtKill > 0, 'nothing was pending at the kill');
    assert.ok(deliveredBeforeKill > 0);
    console.log(
      `      (killed with ${deliveredBeforeKill} sent, ${pendingAtKill} pending; ${injected} × 429 in all; restart finished in ${restartMs} ms)`,
    );
  });

  it('still delivers to each of the 30 subscribers and the channel exactly once after a restart', () => {
    const counts = stakeholderDeliveries(connector.calls);
    assert.equal(counts.size, SUBSCRIBERS + 1);
    assert.deepEqual([...new Set(counts.values())], [1]);
  });
});

/** The incident's thread: the first conversation the bot created (thread mode). */
async function roomOf(connector: FakeConnector): Promise<string> {
  await waitUntil('the war room thread', () => connector.created().some((c) => c.status === 201));
  const created = connector.created().find((c) => c.status === 201)!;
  return created.response.id as string;
}
