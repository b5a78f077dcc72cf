import type { Kysely, Migration } from 'kysely';

// As in migrations.ts: a migration sees the schema of its own time, hence Kysely<any>.
type AnyDb = Kysely<any>;

/** Feedback and cadence schema; names start at 0150 so they sort after comms' (0100…). */
export const ENGAGEMENT_MIGRATIONS: Record<string, Migration> = {
  '0150_feedback_votes': {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('feedback_votes')
        .addColumn('update_id', 'text', (col) =>
          col.notNull().references('comms_updates.id').onDelete('cascade'),
        )
        .addColumn('incident_id', 'text', (col) => col.notNull())
        .addColumn('tenant_id', 'text', (col) => col.notNull())
        .addColumn('voter_id', 'text', (col) => col.notNull())
        .addColumn('choice', 'text', (col) => col.notNull())
        .addColumn('comment', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'text', (col) => col.notNull())
        // One vote per person per update: the upsert's conflict target.
        .addPrimaryKeyConstraint('feedback_votes_pk', ['update_id', 'voter_id'])
        .execute();
      // Counts per incident and the daily digest's "votes of that day".
      await db.schema
        .createIndex('feedback_votes_incident_idx')
        .on('feedback_votes')
        .columns(['incident_id', 'updated_at'])
        .execute();
    },

    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('feedback_votes').ifExists().execute();
    },
  },
};
