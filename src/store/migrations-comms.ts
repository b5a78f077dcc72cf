import type { Kysely, Migration } from 'kysely';

// Migrations see the schema as written then, not today's `Database` type.
type AnyDb = Kysely<any>;

/** Stakeholder communications schema; names start at 0100 so they sort after the core's. */
export const COMMS_MIGRATIONS: Record<string, Migration> = {
  '0100_comms_updates_outbox': {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('comms_updates')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('incident_id', 'text', (col) =>
          col.notNull().references('incidents.id').onDelete('cascade'),
        )
        .addColumn('tenant_id', 'text', (col) => col.notNull())
        .addColumn('number', 'integer', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('affected', 'text', (col) => col.notNull())
        .addColumn('workaround', 'text', (col) => col.notNull())
        .addColumn('summary', 'text', (col) => col.notNull())
        .addColumn('internal_note', 'text', (col) => col.notNull())
        .addColumn('next_update_at', 'text')
        .addColumn('posted_by', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addUniqueConstraint('comms_updates_incident_number_unique', ['incident_id', 'number'])
        .execute();

      await db.schema
        .createTable('comms_deliveries')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('update_id', 'text', (col) =>
          col.notNull().references('comms_updates.id').onDelete('cascade'),
        )
        .addColumn('incident_id', 'text', (col) => col.notNull())
        .addColumn('tenant_id', 'text', (col) => col.notNull())
        .addColumn('audience', 'text', (col) => col.notNull())
        .addColumn('recipient_key', 'text', (col) => col.notNull())
        .addColumn('recipient_name', 'text', (col) => col.notNull())
        .addColumn('target', 'text', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('attempts', 'integer', (col) => col.notNull())
        .addColumn('next_attempt_at', 'text', (col) => col.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('locked_by', 'text')
        .addColumn('last_error', 'text')
        .addColumn('activity_id', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'text', (col) => col.notNull())
        // One job per recipient and update: a fan-out run twice cannot queue a second send.
        .addUniqueConstraint('comms_deliveries_recipient_unique', ['update_id', 'recipient_key'])
        .execute();
      // The worker's claim: due pending jobs, and sending jobs whose lease ran out.
      await db.schema
        .createIndex('comms_deliveries_due_idx')
        .on('comms_deliveries')
        .columns(['state', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('comms_subscriptions')
        .addColumn('tenant_id', 'text', (col) => col.notNull())
        .addColumn('user_id', 'text', (col) => col.notNull())
        .addColumn('service', 'text', (col) => col.notNull())
        .addColumn('user_name', 'text', (col) => col.notNull())
        .addColumn('teams_id', 'text')
        .addColumn('service_url', 'text', (col) => col.notNull())
        .addColumn('conversation_id', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('comms_subscriptions_pk', ['tenant_id', 'user_id', 'service'])
        .execute();

      await db.schema
        .createTable('comms_threads')
        .addColumn('incident_id', 'text', (col) => col.primaryKey())
        .addColumn('owner_delivery_id', 'text', (col) => col.notNull())
        .addColumn('conversation_id', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
    },

    async down(db: AnyDb): Promise<void> {
      for (const table of [
        'comms_threads',
        'comms_subscriptions',
        'comms_deliveries',
        'comms_updates',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  },
  // Numbered after every migration released before it: Kysely runs them in name order and
  // refuses a database where an older name would come after one already run.
  '0301_comms_send_limits': {
    // Teams' send budgets shared by every instance (rate-limiter-flexible's RateLimiterPostgres,
    // see src/store/shared-send-budgets.ts): its columns, in its order, with a key of any length.
    // Only PostgreSQL deployments use it (SQLite serves one instance, whose budgets stay in
    // memory); it is created on both so the schema is the same everywhere.
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('comms_send_limits')
        .addColumn('key', 'text', (col) => col.primaryKey())
        .addColumn('points', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('expire', 'bigint')
        .execute();
    },

    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('comms_send_limits').ifExists().execute();
    },
  },
  '0302_comms_incident_subscriptions': {
    // Follow on a post of an incident that names no services: that incident's updates only.
    // A table of its own rather than a kind of service key, so no typed service name can
    // collide with one and the rows go with their incident.
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('comms_incident_subscriptions')
        .addColumn('tenant_id', 'text', (col) => col.notNull())
        .addColumn('user_id', 'text', (col) => col.notNull())
        .addColumn('incident_id', 'text', (col) =>
          col.notNull().references('incidents.id').onDelete('cascade'),
        )
        .addColumn('user_name', 'text', (col) => col.notNull())
        .addColumn('teams_id', 'text')
        .addColumn('service_url', 'text', (col) => col.notNull())
        .addColumn('conversation_id', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('comms_incident_subscriptions_pk', [
          'tenant_id',
          'user_id',
          'incident_id',
        ])
        .execute();
      // An update's fan-out reads the followers of its incident.
      await db.schema
        .createIndex('comms_incident_subscriptions_incident_idx')
        .on('comms_incident_subscriptions')
        .column('incident_id')
        .execute();
    },

    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('comms_incident_subscriptions').ifExists().execute();
    },
  },
  '0303_comms_delivery_throttles': {
    // The 429s a delivery got, apart from its attempts: they are not failures, but under
    // sustained throttling each one waits longer than the last, and there is a last.
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .alterTable('comms_deliveries')
        .addColumn('throttles', 'integer', (col) => col.notNull().defaultTo(0))
        .execute();
    },

    async down(db: AnyDb): Promise<void> {
      await db.schema.alterTable('comms_deliveries').dropColumn('throttles').execute();
    },
  },
};
