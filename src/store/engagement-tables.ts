/**
 * Tables of stakeholder engagement built on the comms model (feedback votes, cadence reminders).
 * Part of `Database` in database.ts; created by migrations-engagement.ts. Times are ISO 8601 UTC
 * text, as in comms-tables.ts.
 *
 * - `feedback_votes`: one row per (update, voter); a later press replaces the row, so a person
 *   counts once per update. Tenant and incident are copied from the update when the vote is
 *   written, never taken from the card.
 * - Cadence reminders and the daily feedback digest need no table of their own: each is claimed
 *   once in `handled_keys` (`reminder:<incidentId>:<dueAt>`, `feedback-digest:<incidentId>:<day>`),
 *   which is unique across instances on both databases.
 */
export interface FeedbackVotesTable {
  update_id: string;
  incident_id: string;
  tenant_id: string;
  /** Entra object id when known, else the Teams id (29:…). */
  voter_id: string;
  /** still-affected | working | helpful | not-helpful */
  choice: string;
  /** Optional free text; empty when none. Shown to responders only, never on the status page. */
  comment: string;
  created_at: string;
  updated_at: string;
}

export interface EngagementTables {
  feedback_votes: FeedbackVotesTable;
}
