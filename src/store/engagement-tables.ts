/**
 * Tables of stakeholder engagement built on the comms model (feedback votes, cadence reminders).
 * Part of `Database` in database.ts; created by migrations-engagement.ts.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EngagementTables {}
