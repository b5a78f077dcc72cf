import assert from 'node:assert/strict';
import { Client } from 'pg';
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
  type Throttle,
} from '../support/comms-kit';
import { FakeConnector } from '../support/fake-connector';
import { postgresTarget, type ScratchDatabase } from '../store/helpers';

const SUBSCRIBERS = 200;

// Runs with `npm run test:pg` (or TEST_DATABASE_URL set); pending otherwise.
(postgresTarget.enabled ? describe : describe.skip)(
  'two bot processes on one PostgreSQL database delivering one update',
  function () {
    this.timeout(90_000);
    let scratch: ScratchDatabase;
    let connector: FakeConnector;
    let graph: SandboxGraph;
    let throttled: Throttle;
    const bots: BotChild[] = [];
    let deliveryMs = 0;

    before(async () => {
      scratch = await postgresTarget.create();
      connector = await new FakeConnector().start();
      graph = await startSandboxGraph();
      throttled = throttle(connector, { share: 0.2, retryAfterSeconds: [0.05, 0.1, 0.2] });
      const env = { ...FAST_DELIVERY, DATABASE_URL: scratch.url, GRAPH_BASE_URL: graph.url };
      // One after the other: both migrating at once is safe, but the order keeps logs calm.
      bots.push(await startBotChild(env));
      bots.push(await startBotChild(env));

      // Subscribers arrive at either instance, as behind a load balancer.
      for (let n = 1; n <= SUBSCRIBERS; n++) {
        await bots[n % 2].send(personalMessage(n, 'subscribe'), connector.url);
      }
      await bots[0].send(channelCommand('declare Exchange Online mail delays sev2'), connector.url);
      await waitUntil('the war room thread', () =>
        connector.created().some((c) => c.status === 201),
      );
      const room = connector.created().find((c) => c.status === 201)!.response.id as string;

      const started = Date.now();
      await bots[0].send(roomCommand(room, 'update Mail is delayed.'), connector.url);
      await waitUntil(
        'every recipient',
        () => stakeholderDeliveries(connector.calls).size === SUBSCRIBERS + 1,
        60_000,
      );
      deliveryMs = Date.now() - started;
      // Long enough for any second send to show up.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    });

    after(async () => {
      for (const bot of bots) await bot.stop();
      await graph?.close();
      await connector?.stop();
      await scratch?.drop();
    });

    it('delivers to each of 200 subscribers and the channel exactly once', () => {
      const counts = stakeholderDeliveries(connector.calls);
      assert.equal(counts.size, SUBSCRIBERS + 1);
      assert.deepEqual([...new Set(counts.values())], [1]);
      console.log(
        `      (200 subscribers + channel over 2 instances: ${throttled.injected} × 429 injected, ${deliveryMs} ms)`,
      );
    });

    it('shared the work: both instances sent some of the deliveries', async () => {
      const client = new Client({ connectionString: scratch.url });
      await client.connect();
      try {
        const { rows } = await client.query(
          "select locked_by, count(*)::int as sent from comms_deliveries where state = 'sent' group by locked_by",
        );
        assert.equal(rows.length, 2);
        assert.ok(rows.every((row: { sent: number }) => row.sent > 0));
        console.log(
          `      (sent per instance: ${rows.map((r: { sent: number }) => r.sent).join(' / ')})`,
        );
      } finally {
        await client.end();
      }
    });
  },
);
