import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface SendLimitSettings {
  /** Sends per second into one conversation (Teams allows about 7). */
  perConversationRps: number;
  /** Sends per second of this app into one tenant, all conversations together. */
  globalRps: number;
}

/**
 * Makes the limiter of one budget: `points` sends per second for each key, keys prefixed with
 * `keyPrefix`. The composition root picks where budgets live: this process, or a database
 * every instance shares.
 */
export type BudgetStore = (budget: { keyPrefix: string; points: number }) => RateLimiterAbstract;

/** Budgets in this process: right for one instance (SQLite). */
export const budgetsInMemory: BudgetStore = ({ keyPrefix, points }) =>
  new RateLimiterMemory({ keyPrefix, points, duration: 1 });

/**
 * Teams' send limits with rate-limiter-flexible: one budget per conversation and one per
 * tenant. A 429's Retry-After blocks that conversation's budget, so other jobs for it wait too.
 * Where the budgets are kept decides who shares them: in memory each instance has its own, in
 * PostgreSQL all instances draw from one.
 */
export class SendLimits {
  private readonly conversation: RateLimiterAbstract;
  private readonly tenant: RateLimiterAbstract;

  constructor(settings: SendLimitSettings, store: BudgetStore = budgetsInMemory) {
    this.conversation = store({ keyPrefix: 'conversation', points: settings.perConversationRps });
    this.tenant = store({ keyPrefix: 'tenant', points: settings.globalRps });
  }

  /**
   * Waits until both the conversation and the tenant may take one more send, and returns 0. A
   * wait longer than `maxWaitMs` (a long Retry-After) is not waited out, so a claimed job never
   * outlives its lease: the number of ms to come back after is returned instead.
   */
  async acquire(tenantId: string, conversationKey: string, maxWaitMs: number): Promise<number> {
    return (
      (await take(this.conversation, conversationKey, maxWaitMs)) ||
      take(this.tenant, tenantId, maxWaitMs)
    );
  }

  /** Teams said 429: nothing more into that conversation for `ms`. */
  async holdOff(conversationKey: string, ms: number): Promise<void> {
    if (ms > 0) await this.conversation.block(conversationKey, ms / 1000);
  }
}

async function take(limiter: RateLimiterAbstract, key: string, maxWaitMs: number) {
  for (;;) {
    try {
      await limiter.consume(key);
      return 0;
    } catch (refusal) {
      // The library rejects with a RateLimiterRes when the budget is spent, an Error otherwise.
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      if (refusal.msBeforeNext > maxWaitMs) return refusal.msBeforeNext;
      await sleep(Math.max(1, refusal.msBeforeNext));
    }
  }
}

/**
 * The wait before retry `attempt` (1-based): exponential from `baseMs`, capped at `maxMs`, with
 * "equal jitter" (half fixed, half random) so recipients throttled together spread out.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After plus up to 10 % (at most a second), so a crowd told "1 s" does not return at once. */
export function afterRetryAfter(ms: number, random = Math.random): number {
  return Math.round(ms + random() * Math.min(1000, ms * 0.1));
}

/**
 * The wait after a delivery's `throttles`-th 429 (1-based). The first waits its Retry-After; later
 * ones wait at least the backoff of that many tries, because Teams and Graph keep answering the
 * same small Retry-After ("1") for as long as a tenant stays throttled.
 */
export function afterThrottle(
  retryAfterMs: number,
  throttles: number,
  baseMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const told = afterRetryAfter(retryAfterMs, random);
  return throttles > 1 ? Math.max(told, backoffMs(throttles, baseMs, maxMs, random)) : told;
}
