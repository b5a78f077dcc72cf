import type { Logger } from './logger';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Often enough that a table stays about one retention long, rarely enough to cost nothing. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Rows deleted per statement. On SQLite a delete holds the only write lock, so a first run over
 * a long backlog goes in slices and button presses get their turn in between.
 */
export const PRUNE_BATCH = 1000;

export interface PeriodicPrunerOptions {
  /** Deletes at most `limit` rows that are old enough at `before` (ISO time); returns how many. */
  prune(before: string, limit: number): Promise<number>;
  retentionDays: number;
  clock: () => Date;
  logger: Logger;
  /** Constant log messages, one for a round that deleted rows and one for a round that failed. */
  messages: { pruned: string; failed: string };
  everyMs?: number;
}

/**
 * Deletes rows older than a retention: once at start, then every hour, in every instance. Each
 * instance prunes on its own; the deletes are idempotent, so instances need not agree on who.
 */
export class PeriodicPruner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(private readonly options: PeriodicPrunerOptions) {}

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

  /** Prunes every row older than the retention; returns how many went. */
  async runOnce(): Promise<number> {
    const { clock, retentionDays, logger, messages } = this.options;
    const before = new Date(clock().getTime() - retentionDays * DAY_MS).toISOString();
    let pruned = 0;
    for (;;) {
      const deleted = await this.options.prune(before, PRUNE_BATCH);
      pruned += deleted;
      if (deleted < PRUNE_BATCH || this.stopping) break;
    }
    if (pruned > 0) logger.info({ pruned, before }, messages.pruned);
    return pruned;
  }

  private round(): void {
    // One round at a time: a slow database must not pile rounds up.
    this.running ??= this.runOnce()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, this.options.messages.failed),
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
