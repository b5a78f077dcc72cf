import assert from 'node:assert/strict';
import { postgresTarget, type ScratchDatabase } from '../store/helpers';
import type { BotHarness } from '../support/bot-harness';
import {
  declare,
  OTHER_TENANT,
  postUpdate,
  startBot,
  TENANT,
  TestClock,
  vote,
  VOTERS,
} from './engagement-kit';

// Runs with `npm run test:pg` (or TEST_DATABASE_URL set); pending otherwise.
(postgresTarget.enabled ? describe : describe.skip)(
  'two instances on one PostgreSQL database',
  () => {
    const clock = new TestClock();
    let scratch: ScratchDatabase;
    let first: BotHarness;
    let second: BotHarness;

    before(async () => {
      scratch = await postgresTarget.create();
      const env = { DATABASE_URL: scratch.url, STATUS_PAGE_TENANT_ID: TENANT };
      first = await startBot({ clock: clock.read, env });
      second = await startBot({ clock: clock.read, env });
    });

    after(async () => {
      await first?.stop();
      await second?.stop();
      await scratch?.drop();
    });

    it('post an overdue reminder once when both look at the same time', async () => {
      await declare(first, 'Teams meetings fail to start', 1);
      clock.advanceMinutes(31);

      const counts = await Promise.all(
        [first, second, first, second].map((bot) => bot.app.engagement.runOnce()),
      );

      assert.equal(
        counts.reduce((sum, count) => sum + count, 0),
        1,
      );
      assert.equal(
        first.connector.sent().filter((call) => /is due/.test(call.body?.text ?? '')).length,
        1,
      );
    });

    it('keep one vote when the same person presses on both at once', async () => {
      const incident = await declare(first, 'Outlook search is slow', 2);
      const { updateId } = await postUpdate(first, incident.id, { summary: 'Search is slow.' });

      await Promise.all([
        first.send(vote(updateId, 'working', VOTERS.kim)),
        second.send(vote(updateId, 'still-affected', VOTERS.kim)),
      ]);

      const votes = await first.app.store.database
        .selectFrom('feedback_votes')
        .select('choice')
        .where('update_id', '=', updateId)
        .execute();
      assert.equal(votes.length, 1);
    });

    it("show on the status page their tenant's published incident, not another tenant's", async () => {
      const ours = await declare(first, 'SharePoint uploads fail', 2);
      await postUpdate(first, ours.id, { summary: 'Uploads fail.' });
      const theirs = await declare(second, 'Fabrikam payroll export fails', 1, OTHER_TENANT);
      await postUpdate(second, theirs.id, { summary: 'Payroll is stuck.' }, OTHER_TENANT);

      const titles = await Promise.all(
        [first, second].map(async (bot) => {
          const { incidents } = await (await fetch(`${bot.app.url}/status.json`)).json();
          return incidents.map((incident: { title: string }) => incident.title);
        }),
      );

      assert.ok(titles.every((list) => list.includes('SharePoint uploads fail')));
      assert.ok(titles.every((list) => !list.includes('Fabrikam payroll export fails')));
    });
  },
);
