/**
 * Tables of security incident response (containment requests, approvals, audit).
 * Part of `Database` in database.ts; created by migrations-security.ts.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SecurityTables {}
