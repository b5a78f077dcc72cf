import type { Logger } from '../logger';
import type { HandledKeyStore } from './ports';

const DAY_MS = 24 * 60 * 60 * 1000;

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

/** Often enough that the table stays about one retention long, rarely enough to cost nothing. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Rows deleted per statement. On SQLite a delete holds the only write lock, so a first run over
 * a long backlog goes in slices and button presses get their turn in between.
 */
const PRUNE_BATCH = 1000;

export interface HandledKeyPrunerOptions {
  store: HandledKeyStore;
  clock: () => Date;
  logger: Logger;
  everyMs?: number;
}

/** Deletes old idempotency keys: once at start, then every hour, in every instance. */
export class HandledKeyPruner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(private readonly options: HandledKeyPrunerOptions) {}

  start(): void {
    if (this.timer) return;
    this.stopping = false;
    this.round();
    this.timer = setInterval(() => this.round(), this.options.everyMs ?? PRUNE_EVERY_MS);
    // Housekeeping alone must never keep the process alive.
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Prunes every key older than the retention; returns how many went. */
  async runOnce(): Promise<number> {
    const before = new Date(
      this.options.clock().getTime() - HANDLED_KEY_RETENTION_DAYS * DAY_MS,
    ).toISOString();
    let pruned = 0;
    for (;;) {
      const deleted = await this.options.store.pruneHandledKeys(
        before,
        PERMANENT_KEY_PREFIXES,
        PRUNE_BATCH,
      );
      pruned += deleted;
      if (deleted < PRUNE_BATCH || this.stopping) break;
    }
    if (pruned > 0) this.options.logger.info({ pruned, before }, 'handled keys pruned');
    return pruned;
  }

  private round(): void {
    // One round at a time: a slow database must not pile rounds up.
    this.running ??= this.runOnce()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'handled keys not pruned'),
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
