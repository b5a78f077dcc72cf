import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import {
  CONTAINMENT_ACTIONS,
  type ContainmentRequest,
  type Execution,
} from '../security/containment';
import type { AuditRecord, DefenderLink } from '../security/ports';
import type {
  ContainmentExecutionsTable,
  ContainmentRequestsTable,
  SecurityAuditTable,
  SecurityLinksTable,
} from './security-tables';

const person = z.object({
  id: z.string(),
  name: z.string(),
  teamsId: z.string().optional(),
  needsTeamMembership: z.boolean().optional(),
});

const account = z.object({ id: z.string(), upn: z.string(), name: z.string() });
const action = z.enum(CONTAINMENT_ACTIONS);

/** A text column holding JSON that must match `schema`. */
function json<T extends z.ZodType>(schema: T) {
  return z.string().transform((text, ctx) => {
    try {
      return schema.parse(JSON.parse(text)) as z.output<T>;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not the expected JSON' });
      return z.NEVER;
    }
  });
}

const requestRow = z.object({
  id: z.string(),
  tenant_id: z.string(),
  incident_id: z.string(),
  scope: z.enum(['account', 'all']),
  actions: json(z.array(action)),
  accounts: json(z.array(account)),
  requested_by: json(person),
  reason: z.string(),
  state: z.enum(['pending', 'approved', 'rejected', 'expired']),
  created_at: z.string(),
  expires_at: z.string(),
  decided_by: json(person).nullable(),
  decided_at: z.string().nullable(),
});

const executionRow = z.object({
  request_id: z.string(),
  account_id: z.string(),
  action,
  state: z.enum(['executing', 'succeeded', 'failed', 'skipped']),
  detail: z.string(),
  http_status: z.coerce.number().int().nullable(),
  graph_request_id: z.string().nullable(),
  updated_at: z.string(),
});

const auditRow = z.object({
  id: z.string(),
  tenant_id: z.string(),
  incident_id: z.string(),
  at: z.string(),
  actor: json(person),
  event: z.enum([
    'requested',
    'approved',
    'rejected',
    'expired',
    'refused',
    'executed',
    'linked',
    'hunted',
    'defender-updated',
  ]),
  request_id: z.string().nullable(),
  account_id: z.string().nullable(),
  account_name: z.string().nullable(),
  action: action.nullable(),
  outcome: z.string(),
  graph_request_id: z.string().nullable(),
});

export function requestToRow(request: ContainmentRequest): Insertable<ContainmentRequestsTable> {
  return {
    id: request.id,
    tenant_id: request.tenantId,
    incident_id: request.incidentId,
    scope: request.scope,
    actions: JSON.stringify(request.actions),
    accounts: JSON.stringify(request.accounts),
    requested_by: JSON.stringify(request.requestedBy),
    reason: request.reason,
    state: request.state,
    created_at: request.createdAt,
    expires_at: request.expiresAt,
    decided_by: request.decidedBy ? JSON.stringify(request.decidedBy) : null,
    decided_at: request.decidedAt,
  };
}

export function rowToRequest(row: Selectable<ContainmentRequestsTable>): ContainmentRequest {
  const r = parse(requestRow, row, `containment request ${row.id}`);
  return {
    id: r.id,
    tenantId: r.tenant_id,
    incidentId: r.incident_id,
    scope: r.scope,
    actions: r.actions,
    accounts: r.accounts,
    requestedBy: r.requested_by,
    reason: r.reason,
    state: r.state,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
  };
}

export function executionToRow(execution: Execution): Insertable<ContainmentExecutionsTable> {
  return {
    request_id: execution.requestId,
    account_id: execution.accountId,
    action: execution.action,
    state: execution.state,
    detail: execution.detail,
    http_status: execution.httpStatus,
    graph_request_id: execution.graphRequestId,
    updated_at: execution.updatedAt,
  };
}

export function rowToExecution(row: Selectable<ContainmentExecutionsTable>): Execution {
  const r = parse(executionRow, row, `execution of ${row.request_id}`);
  return {
    requestId: r.request_id,
    accountId: r.account_id,
    action: r.action,
    state: r.state,
    detail: r.detail,
    httpStatus: r.http_status,
    graphRequestId: r.graph_request_id,
    updatedAt: r.updated_at,
  };
}

export function auditToRow(record: AuditRecord): Insertable<SecurityAuditTable> {
  return {
    id: record.id,
    tenant_id: record.tenantId,
    incident_id: record.incidentId,
    at: record.at,
    actor: JSON.stringify(record.actor),
    event: record.event,
    request_id: record.requestId,
    account_id: record.accountId,
    account_name: record.accountName,
    action: record.action,
    outcome: record.outcome,
    graph_request_id: record.graphRequestId,
  };
}

export function rowToAudit(row: Selectable<SecurityAuditTable>): AuditRecord {
  const r = parse(auditRow, row, `audit record ${row.id}`);
  return {
    id: r.id,
    tenantId: r.tenant_id,
    incidentId: r.incident_id,
    at: r.at,
    actor: r.actor,
    event: r.event,
    requestId: r.request_id,
    accountId: r.account_id,
    accountName: r.account_name,
    action: r.action,
    outcome: r.outcome,
    graphRequestId: r.graph_request_id,
  };
}

export function rowToLink(row: Selectable<SecurityLinksTable>): DefenderLink {
  return {
    incidentId: row.incident_id,
    defenderIncidentId: row.defender_incident_id,
    linkedBy: parse(json(person), row.linked_by, `link of ${row.incident_id}`),
    linkedAt: row.linked_at,
  };
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Stored ${what} is corrupt (${problems.join('; ')})`, { cause: parsed.error });
}
