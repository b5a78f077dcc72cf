import { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import type { BudgetStore } from '../comms/send-limits';

/**
 * Connections for the budgets alone, so a burst of sends never queues behind button presses
 * in the main pool (and the other way round). Each check is one short upsert.
 */
const POOL_SIZE = 4;

export interface SharedSendBudgets {
  store: BudgetStore;
  close(): Promise<void>;
}

/**
 * Teams' send budgets in PostgreSQL (table comms_send_limits, made by the migrations), shared by
 * every instance on the database: rate-limiter-flexible's RateLimiterPostgres counts each send
 * with one atomic INSERT … ON CONFLICT DO UPDATE, and a 429's hold-off is a row every instance
 * reads. Its windows are stamped with each instance's clock, so instances must keep their clocks
 * in step (NTP); a skew of s ms lets a window reset s ms early.
 *
 * While the database cannot be reached, each instance falls back to a budget in its own memory
 * (the library's insurance limiter): sends go on within the per-instance limits rather than
 * stop, and the outbox itself cannot move until the database is back anyway.
 */
export function openSharedSendBudgets(
  databaseUrl: string,
  onIdleConnectionError: (error: Error) => void,
): SharedSendBudgets {
  const pool = new Pool({ connectionString: databaseUrl, max: POOL_SIZE });
  pool.on('error', onIdleConnectionError);
  const store: BudgetStore = ({ keyPrefix, points }) =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: 'comms_send_limits',
      tableCreated: true,
      keyPrefix,
      points,
      duration: 1,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: 1 }),
    });
  return { store, close: () => pool.end() };
}
