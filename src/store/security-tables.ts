import type { Generated } from 'kysely';

/**
 * Tables of security incident response (containment requests, approvals, audit).
 * Part of `Database` in database.ts; created by migrations-security.ts. JSON columns are text.
 */
export interface SecurityTables {
  security_links: SecurityLinksTable;
  containment_requests: ContainmentRequestsTable;
  containment_executions: ContainmentExecutionsTable;
  security_audit: SecurityAuditTable;
}

/** The Defender XDR incident linked to an incident of ours. */
export interface SecurityLinksTable {
  incident_id: string;
  defender_incident_id: string;
  linked_by: string;
  linked_at: string;
}

export interface ContainmentRequestsTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  scope: string;
  actions: string;
  accounts: string;
  requested_by: string;
  reason: string;
  /** pending → approved | rejected | expired, changed only by a conditional update. */
  state: string;
  created_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

/** One row per (request, account, action): its primary key is the exactly-once guarantee. */
export interface ContainmentExecutionsTable {
  request_id: string;
  account_id: string;
  action: string;
  /** executing → succeeded | failed | skipped */
  state: string;
  detail: string;
  http_status: number | null;
  graph_request_id: string | null;
  updated_at: string;
}

/** Append-only: triggers refuse UPDATE and DELETE. */
export interface SecurityAuditTable {
  seq: Generated<number>;
  id: string;
  tenant_id: string;
  incident_id: string;
  at: string;
  actor: string;
  event: string;
  request_id: string | null;
  account_id: string | null;
  account_name: string | null;
  action: string | null;
  outcome: string;
  graph_request_id: string | null;
}
