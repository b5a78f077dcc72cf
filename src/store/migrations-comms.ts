import type { Migration } from 'kysely';

/** Stakeholder communications schema; names start at 0100 so they sort after the core's. */
export const COMMS_MIGRATIONS: Record<string, Migration> = {};
