import { PostgresAdapter, type Kysely, type Migration } from 'kysely';

// As in migrations.ts: a migration sees the schema of its own time, hence Kysely<any>.
type AnyDb = Kysely<any>;

/** Evidence files; names start at 0300 so they sort after the core's, comms' and security's. */
export const EVIDENCE_MIGRATIONS: Record<string, Migration> = {
  '0300_evidence_files': {
    async up(db: AnyDb): Promise<void> {
      const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
      await db.schema
        .createTable('evidence_files')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('tenant_id', 'text', (col) => col.notNull())
        .addColumn('source_key', 'text', (col) => col.notNull())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('file_type', 'text', (col) => col.notNull())
        .addColumn('size', 'integer', (col) => col.notNull())
        .addColumn('sha256', 'text', (col) => col.notNull())
        .addColumn('uploaded_by_id', 'text', (col) => col.notNull())
        .addColumn('uploaded_by', 'text', (col) => col.notNull())
        .addColumn('received_at', 'text', (col) => col.notNull())
        .addColumn('incident_id', 'text', (col) =>
          col.references('incidents.id').onDelete('cascade'),
        )
        .addColumn('attached_at', 'text')
        .addColumn('content', binary, (col) => col.notNull())
        .addUniqueConstraint('evidence_files_source_unique', ['tenant_id', 'source_key'])
        .execute();
      await db.schema
        .createIndex('evidence_files_incident_idx')
        .on('evidence_files')
        .column('incident_id')
        .execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('evidence_files').execute();
    },
  },
};
