import type { Logger } from '../logger';
import { PeriodicPruner } from '../periodic-pruner';
import type { HandledKeyStore } from './ports';

/**
 * How long a handled key is kept. Teams and the Bot Framework retry an activity within minutes,
 * so for activity ids a day would do; the longest-lived keys decide. A cadence reminder's key
 * (`reminder:<incident>:<due>`) must outlive its due slot, which lasts one cadence interval, at
 * most a week (CADENCE_MINUTES in config.ts): pruned sooner, the same reminder would be posted
 * again. Digest keys need 3 days (DIGEST_LOOKBACK_DAYS). Twice the longest interval leaves room
 * for instances whose clocks disagree.
 */
export const HANDLED_KEY_RETENTION_DAYS = 14;

/**
 * Keys never pruned. `welcome:<team or chat>` means "greeted once, ever" (see IncidentBot): an
 * app upgrade months later sends installationUpdate again, and must not greet again. One row
 * per team or chat the app is in.
 */
export const PERMANENT_KEY_PREFIXES = ['welcome:'] as const;

export interface HandledKeyPrunerOptions {
  store: HandledKeyStore;
  clock: () => Date;
  logger: Logger;
  everyMs?: number;
}

/** Deletes old idempotency keys: once at start, then every hour, in every instance. */
export class HandledKeyPruner extends PeriodicPruner {
  constructor({ store, ...options }: HandledKeyPrunerOptions) {
    super({
      ...options,
      retentionDays: HANDLED_KEY_RETENTION_DAYS,
      prune: (before, limit) => store.pruneHandledKeys(before, PERMANENT_KEY_PREFIXES, limit),
      messages: { pruned: 'handled keys pruned', failed: 'handled keys not pruned' },
    });
  }
}
