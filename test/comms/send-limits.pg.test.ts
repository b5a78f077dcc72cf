import assert from 'node:assert/strict';
import { SendLimits } from '../../src/comms/send-limits';
import { openSharedSendBudgets, type SharedSendBudgets } from '../../src/store/shared-send-budgets';
import { SqlIncidentStore } from '../../src/store/sql-incident-store';
import { postgresTarget, uniqueTenant, type ScratchDatabase } from '../store/helpers';

const SETTINGS = { perConversationRps: 3, globalRps: 100 };

// Runs with `npm run test:pg` (or TEST_DATABASE_URL set); pending otherwise.
(postgresTarget.enabled ? describe : describe.skip)(
  'send limits of two instances on one PostgreSQL database',
  () => {
    let scratch: ScratchDatabase;
    const budgets: SharedSendBudgets[] = [];
    let first: SendLimits;
    let second: SendLimits;

    before(async () => {
      scratch = await postgresTarget.create();
      // The migrations make the budgets' table, as at every start.
      await (await SqlIncidentStore.open(scratch.url)).close();
      // Each instance has its own connections, as two processes would.
      for (let i = 0; i < 2; i++) budgets.push(openSharedSendBudgets(scratch.url, () => {}));
      first = new SendLimits(SETTINGS, budgets[0].store);
      second = new SendLimits(SETTINGS, budgets[1].store);
    });

    after(async () => {
      for (const budget of budgets) await budget.close();
      await scratch?.drop();
    });

    it('share one budget per conversation: of six sends within a second, three go at once', async () => {
      const tenant = uniqueTenant();
      const waits = await Promise.all(
        [first, second, first, second, first, second].map((limits) =>
          limits.acquire(tenant, '19:room@thread.tacv2', 0),
        ),
      );

      assert.equal(waits.filter((ms) => ms === 0).length, 3);
      assert.ok(waits.every((ms) => ms <= 1000));
    });

    it('share one budget per tenant across conversations', async () => {
      const tenant = uniqueTenant();
      const narrow = { perConversationRps: 10, globalRps: 2 };
      const [a, b] = budgets.map((budget) => new SendLimits(narrow, budget.store));

      const waits = await Promise.all([
        a.acquire(tenant, 'a:chat-1', 0),
        b.acquire(tenant, 'a:chat-2', 0),
        a.acquire(tenant, 'a:chat-3', 0),
        b.acquire(tenant, 'a:chat-4', 0),
      ]);

      assert.equal(waits.filter((ms) => ms === 0).length, 2);
    });

    it("hold every instance back from a conversation after one of them got Teams' 429", async () => {
      await first.holdOff('a:throttled-chat', 5000);

      const wait = await second.acquire(uniqueTenant(), 'a:throttled-chat', 0);

      assert.ok(wait > 4000 && wait <= 5000, `waits ${wait} ms`);
    });
  },
);
