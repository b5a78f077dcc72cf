import assert from 'node:assert/strict';
import {
  HANDLED_KEY_RETENTION_DAYS,
  HandledKeyPruner,
} from '../../src/incidents/handled-key-pruner';
import { createLogger } from '../../src/logger';

const NOW = new Date('2026-03-10T12:00:00.000Z');

/** A store that records each prune call and has `backlog` old keys to give. */
function fakeStore(backlog: number) {
  const calls: Array<{ before: string; keep: readonly string[] }> = [];
  let left = backlog;
  return {
    calls,
    async pruneHandledKeys(before: string, keep: readonly string[], limit: number) {
      calls.push({ before, keep });
      const deleted = Math.min(left, limit);
      left -= deleted;
      return deleted;
    },
  };
}

describe('HandledKeyPruner', () => {
  it('prunes at start all but welcome keys older than the retention, stopping between slices', async () => {
    const store = fakeStore(2500);
    const pruner = new HandledKeyPruner({
      store,
      clock: () => NOW,
      logger: createLogger('silent'),
    });

    pruner.start();
    await pruner.stop();

    const cutoff = new Date(NOW.getTime() - HANDLED_KEY_RETENTION_DAYS * 86_400_000);
    assert.deepEqual(store.calls[0], { before: cutoff.toISOString(), keep: ['welcome:'] });
    assert.equal(store.calls.length, 1, 'stop() ends the round after the slice in progress');
  });

  it('deletes a whole backlog in one round when left to run', async () => {
    const store = fakeStore(2500);
    const pruner = new HandledKeyPruner({
      store,
      clock: () => NOW,
      logger: createLogger('silent'),
    });

    assert.equal(await pruner.runOnce(), 2500);
    assert.equal(store.calls.length, 3);
  });
});
