import {
  Migrator,
  PostgresAdapter,
  type Kysely,
  type Migration,
  type MigrationProvider,
} from 'kysely';
import type { Database } from './database';
import { COMMS_MIGRATIONS } from './migrations-comms';
import { ENGAGEMENT_MIGRATIONS } from './migrations-engagement';
import { EVIDENCE_MIGRATIONS } from './migrations-evidence';
import { SECURITY_MIGRATIONS } from './migrations-security';

// Migrations see the schema as it was when they were written, not today's `Database`
// type, hence Kysely<any> (as Kysely's Migration interface expects).
type AnyDb = Kysely<any>;

function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Append only: a released migration never changes, a new one is added with the next number. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('tenant_id', 'text', (col) => col.notNull())
        .addColumn('number', 'integer', (col) => col.notNull())
        .addColumn('title', 'text', (col) => col.notNull())
        .addColumn('description', 'text', (col) => col.notNull())
        .addColumn('severity', 'integer', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('roles', 'text', (col) => col.notNull())
        .addColumn('affected_services', 'text', (col) => col.notNull())
        .addColumn('affected_users', 'integer')
        .addColumn('impact_scope', 'text')
        .addColumn('declared_by', 'text', (col) => col.notNull())
        .addColumn('acknowledged_by', 'text')
        .addColumn('acknowledged_at', 'text')
        .addColumn('latest_update', 'text')
        .addColumn('place', 'text')
        .addColumn('room_key', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .addColumn('version', 'integer', (col) => col.notNull())
        .addUniqueConstraint('incidents_tenant_number_unique', ['tenant_id', 'number'])
        .execute();
      await db.schema
        .createIndex('incidents_room_key_idx')
        .on('incidents')
        .column('room_key')
        .execute();

      await db.schema
        .createTable('incident_counters')
        .addColumn('tenant_id', 'text', (col) => col.primaryKey())
        .addColumn('last_number', 'integer', (col) => col.notNull())
        .execute();

      // `seq` orders entries that share a timestamp. It is the primary key (and `id` merely
      // unique) because SQLite only auto-increments an INTEGER PRIMARY KEY.
      await db.schema
        .createTable('timeline_entries')
        .$call((table) =>
          isPostgres(db)
            ? table.addColumn('seq', 'serial', (col) => col.primaryKey())
            : table.addColumn('seq', 'integer', (col) => col.primaryKey().autoIncrement()),
        )
        .addColumn('id', 'text', (col) => col.notNull().unique())
        .addColumn('incident_id', 'text', (col) =>
          col.notNull().references('incidents.id').onDelete('cascade'),
        )
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('text', 'text', (col) => col.notNull())
        .execute();
      // Covers both the incident filter and the newest-first paging order.
      await db.schema
        .createIndex('timeline_entries_incident_idx')
        .on('timeline_entries')
        .columns(['incident_id', 'at', 'seq'])
        .execute();

      await db.schema
        .createTable('handled_keys')
        .addColumn('key', 'text', (col) => col.primaryKey())
        .addColumn('handled_at', 'text', (col) => col.notNull())
        .execute();
    },

    async down(db: AnyDb): Promise<void> {
      for (const table of ['handled_keys', 'timeline_entries', 'incident_counters', 'incidents']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  },
  '0002_installations': {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('installations')
        .addColumn('key', 'text', (col) => col.primaryKey())
        .addColumn('tenant_id', 'text', (col) => col.notNull())
        .addColumn('reference', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .execute();
    },

    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('installations').ifExists().execute();
    },
  },
};

const ALL_MIGRATIONS: Record<string, Migration> = {
  ...MIGRATIONS,
  ...COMMS_MIGRATIONS,
  ...ENGAGEMENT_MIGRATIONS,
  ...SECURITY_MIGRATIONS,
  ...EVIDENCE_MIGRATIONS,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(ALL_MIGRATIONS) };

/**
 * Brings the schema up to date. Safe to call from several instances at once: Kysely's
 * migrator holds a lock (an advisory lock on PostgreSQL) while it runs.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration ${failed ?? '(setup)'} failed: ${detail}`, {
      cause: error,
    });
  }
}
