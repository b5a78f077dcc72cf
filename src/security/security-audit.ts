import { randomUUID } from 'node:crypto';
import type { Person } from '../incidents/incident';
import { ACTION_LABELS, type AccountRef, type ContainmentAction } from './containment';
import type { AuditEvent, AuditRecord, SecurityStore } from './ports';

export interface AuditInput {
  tenantId: string;
  incidentId: string;
  actor: Person;
  event: AuditEvent;
  outcome: string;
  requestId?: string;
  account?: Pick<AccountRef, 'id' | 'name'>;
  action?: ContainmentAction;
  graphRequestId?: string | null;
}

/**
 * Writes an audit record and, unless it is a refusal, the matching timeline entry, with the
 * store given (call it inside the transaction of the change it records).
 */
export async function record(
  store: SecurityStore,
  input: AuditInput,
  at: string,
  options: { timeline: boolean },
): Promise<void> {
  const entry: AuditRecord = {
    id: randomUUID(),
    tenantId: input.tenantId,
    incidentId: input.incidentId,
    at,
    actor: input.actor,
    event: input.event,
    requestId: input.requestId ?? null,
    accountId: input.account?.id ?? null,
    accountName: input.account?.name ?? null,
    action: input.action ?? null,
    outcome: input.outcome,
    graphRequestId: input.graphRequestId ?? null,
  };
  await store.appendAudit(entry);
  if (!options.timeline) return;

  await store.appendTimeline({
    id: randomUUID(),
    incidentId: input.incidentId,
    at,
    actor: input.actor,
    kind: 'security',
    text: timelineText(input),
  });
}

function timelineText(input: AuditInput): string {
  const what = input.action ? ACTION_LABELS[input.action] : '';
  const who = input.account ? ` for ${input.account.name}` : '';
  switch (input.event) {
    case 'requested':
      return `Requested ${what}${who}: ${input.outcome}`;
    case 'executed':
      return `${what}${who}: ${input.outcome}`;
    case 'approved':
    case 'rejected':
    case 'expired':
      return `Containment request ${input.event}${input.outcome ? `: ${input.outcome}` : ''}`;
    default:
      return input.outcome;
  }
}
