import assert from 'node:assert/strict';
import { DeliveryPruner } from '../../src/comms/delivery-pruner';
import { createLogger } from '../../src/logger';

const NOW = new Date('2026-03-10T12:00:00.000Z');

/** A store that records each prune call and has `backlog` finished rows to give. */
function fakeStore(backlog: number) {
  const cutoffs: string[] = [];
  let left = backlog;
  return {
    cutoffs,
    async pruneDeliveries(before: string, limit: number) {
      cutoffs.push(before);
      const deleted = Math.min(left, limit);
      left -= deleted;
      return deleted;
    },
  };
}

describe('DeliveryPruner', () => {
  it('prunes at start what finished before the retention, in slices until none are left', async () => {
    const store = fakeStore(2500);
    const pruner = new DeliveryPruner({
      store,
      retentionDays: 30,
      clock: () => NOW,
      logger: createLogger('silent'),
    });

    assert.equal(await pruner.runOnce(), 2500);
    assert.deepEqual(new Set(store.cutoffs), new Set(['2026-02-08T12:00:00.000Z']));
  });

  it('starts a round at once and lets stop() end it after the slice in progress', async () => {
    const store = fakeStore(2500);
    const pruner = new DeliveryPruner({
      store,
      retentionDays: 7,
      clock: () => NOW,
      logger: createLogger('silent'),
    });

    pruner.start();
    await pruner.stop();

    assert.deepEqual(store.cutoffs, ['2026-03-03T12:00:00.000Z']);
  });
});
