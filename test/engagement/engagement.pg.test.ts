import assert from 'node:assert/strict';
import { postgresTarget, type ScratchDatabase } from '../store/helpers';
import type { BotHarness } from '../support/bot-harness';
import { declare, postUpdate, startBot, TestClock, vote, VOTERS } from './engagement-kit';

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
      const env = { DATABASE_URL: scratch.url };
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
  },
);
