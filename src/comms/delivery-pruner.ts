import type { Logger } from '../logger';
import { PeriodicPruner } from '../periodic-pruner';
import type { CommsStore } from './ports';

export interface DeliveryPrunerOptions {
  store: Pick<CommsStore, 'pruneDeliveries'>;
  /** DELIVERY_RETENTION_DAYS: how long finished deliveries stay for `comms`. */
  retentionDays: number;
  /** The real clock: the store stamps deliveries with the real time. */
  clock: () => Date;
  logger: Logger;
  everyMs?: number;
}

/**
 * Deletes the outbox rows of updates whose deliveries all finished (sent or failed for good)
 * more than the retention ago: once at start, then every hour, in every instance. The updates
 * themselves stay (the status page, feedback and the timeline read them); a pending or sending
 * delivery keeps every row of its update, so a slow fan-out is never cut short. Nothing else
 * is kept for the rows alone: a stakeholder thread names the delivery that started it, but
 * later updates still need the thread, so it stays.
 */
export class DeliveryPruner extends PeriodicPruner {
  constructor({ store, ...options }: DeliveryPrunerOptions) {
    super({
      ...options,
      prune: (before, limit) => store.pruneDeliveries(before, limit),
      messages: { pruned: 'finished deliveries pruned', failed: 'finished deliveries not pruned' },
    });
  }
}
