import type { Migration } from 'kysely';

/** Feedback and cadence schema; names start at 0150 so they sort after comms' (0100…). */
export const ENGAGEMENT_MIGRATIONS: Record<string, Migration> = {};
