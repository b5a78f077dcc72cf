import type { Migration } from 'kysely';

/** Security response schema; names start at 0200 so they sort after the core's and comms'. */
export const SECURITY_MIGRATIONS: Record<string, Migration> = {};
