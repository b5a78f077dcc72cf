import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

// As in migrations.ts: a migration sees the schema of its own time, hence Kysely<any>.
type AnyDb = Kysely<any>;

function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Security response schema; names start at 0200 so they sort after the core's and comms'. */
export const SECURITY_MIGRATIONS: Record<string, Migration> = {
  '0200_security_response': {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('security_links')
        .addColumn('incident_id', 'text', (col) =>
          col.primaryKey().references('incidents.id').onDelete('cascade'),
        )
        .addColumn('defender_incident_id', 'text', (col) => col.notNull())
        .addColumn('linked_by', 'text', (col) => col.notNull())
        .addColumn('linked_at', 'text', (col) => col.notNull())
        .execute();

      await db.schema
        .createTable('containment_requests')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('tenant_id', 'text', (col) => col.notNull())
        .addColumn('incident_id', 'text', (col) =>
          col.notNull().references('incidents.id').onDelete('cascade'),
        )
        .addColumn('scope', 'text', (col) => col.notNull())
        .addColumn('actions', 'text', (col) => col.notNull())
        .addColumn('accounts', 'text', (col) => col.notNull())
        .addColumn('requested_by', 'text', (col) => col.notNull())
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .execute();
      await db.schema
        .createIndex('containment_requests_incident_idx')
        .on('containment_requests')
        .columns(['incident_id', 'created_at'])
        .execute();

      // The primary key is what makes a Graph call happen once per request, account and action.
      await db.schema
        .createTable('containment_executions')
        .addColumn('request_id', 'text', (col) =>
          col.notNull().references('containment_requests.id').onDelete('cascade'),
        )
        .addColumn('account_id', 'text', (col) => col.notNull())
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('detail', 'text', (col) => col.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('graph_request_id', 'text')
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('containment_executions_pk', [
          'request_id',
          'account_id',
          'action',
        ])
        .execute();

      await db.schema
        .createTable('security_audit')
        .$call((table) =>
          isPostgres(db)
            ? table.addColumn('seq', 'serial', (col) => col.primaryKey())
            : table.addColumn('seq', 'integer', (col) => col.primaryKey().autoIncrement()),
        )
        .addColumn('id', 'text', (col) => col.notNull().unique())
        .addColumn('tenant_id', 'text', (col) => col.notNull())
        .addColumn('incident_id', 'text', (col) => col.notNull())
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('event', 'text', (col) => col.notNull())
        .addColumn('request_id', 'text')
        .addColumn('account_id', 'text')
        .addColumn('account_name', 'text')
        .addColumn('action', 'text')
        .addColumn('outcome', 'text', (col) => col.notNull())
        .addColumn('graph_request_id', 'text')
        .execute();
      await db.schema
        .createIndex('security_audit_incident_idx')
        .on('security_audit')
        .columns(['incident_id', 'seq'])
        .execute();

      await forbidAuditChanges(db);
    },

    async down(db: AnyDb): Promise<void> {
      for (const table of [
        'security_audit',
        'containment_executions',
        'containment_requests',
        'security_links',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
      if (isPostgres(db))
        await sql`drop function if exists security_audit_append_only()`.execute(db);
    },
  },
};

/** The audit is evidence: the database itself refuses to change or delete a record. */
async function forbidAuditChanges(db: AnyDb): Promise<void> {
  if (isPostgres(db)) {
    await sql`
      create function security_audit_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'security_audit is append-only';
      end $$`.execute(db);
    await sql`
      create trigger security_audit_append_only before update or delete on security_audit
      for each row execute function security_audit_append_only()`.execute(db);
    return;
  }
  for (const operation of ['update', 'delete']) {
    await sql
      .raw(
        `create trigger security_audit_no_${operation} before ${operation} on security_audit ` +
          `begin select raise(abort, 'security_audit is append-only'); end`,
      )
      .execute(db);
  }
}
