/**
 * Tables of stakeholder communications (updates, delivery outbox, subscriptions, feedback).
 * Part of `Database` in database.ts; created by migrations-comms.ts.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CommsTables {}
