import { createHash } from 'node:crypto';
import type { Person } from '../incidents/incident';

/** What can be done to an account. `enable` and `dismiss` undo `block` and `confirm`. */
export const CONTAINMENT_ACTIONS = ['block', 'revoke', 'confirm', 'enable', 'dismiss'] as const;
export type ContainmentAction = (typeof CONTAINMENT_ACTIONS)[number];

/** The steps "Contain all" may apply, in the order they run. */
export const CONTAIN_ALL_STEPS = ['block', 'revoke', 'confirm'] as const;

export const ACTION_LABELS: Record<ContainmentAction, string> = {
  block: 'Block sign-in',
  revoke: 'Revoke sessions',
  confirm: 'Confirm compromised',
  enable: 'Re-enable',
  dismiss: 'Dismiss risk',
};

/** Actions that lock a person out or mark them compromised need a second responder. */
const NEEDS_APPROVAL = new Set<ContainmentAction>(['block', 'confirm']);

/** Actions that can lock someone out of their own account, refused for the requester. */
const SELF_HARMFUL = new Set<ContainmentAction>(['block', 'confirm']);

export type ApprovalMode = 'two-person' | 'single';

/** An account as the bot knows it when it acts: Entra object id, UPN and name. */
export interface AccountRef {
  id: string;
  upn: string;
  name: string;
}

export type RequestScope = 'account' | 'all';
export type RequestState = 'pending' | 'approved' | 'rejected' | 'expired';

export interface ContainmentRequest {
  id: string;
  tenantId: string;
  incidentId: string;
  scope: RequestScope;
  actions: ContainmentAction[];
  accounts: AccountRef[];
  requestedBy: Person;
  reason: string;
  state: RequestState;
  createdAt: string;
  expiresAt: string;
  decidedBy: Person | null;
  decidedAt: string | null;
}

export type ExecutionState = 'executing' | 'succeeded' | 'failed' | 'skipped';

/** One Graph call for one account and action of a request; claimed before the call. */
export interface Execution {
  requestId: string;
  accountId: string;
  action: ContainmentAction;
  state: ExecutionState;
  /** What a person reads: "done", "failed: missing permission …", "account no longer exists". */
  detail: string;
  httpStatus: number | null;
  graphRequestId: string | null;
  updatedAt: string;
}

/** A request with the executions recorded for it, as a card shows it. */
export interface RequestView {
  request: ContainmentRequest;
  executions: Execution[];
}

export function needsApproval(
  scope: RequestScope,
  actions: readonly ContainmentAction[],
  mode: ApprovalMode,
): boolean {
  if (mode === 'single') return false;
  return scope === 'all' || actions.some((action) => NEEDS_APPROVAL.has(action));
}

export function isUndo(action: ContainmentAction): boolean {
  return action === 'enable' || action === 'dismiss';
}

/**
 * Why the bot refuses to act on `account` at all (a break-glass account), or with `action` (a
 * responder's own account), before any call to Graph; undefined when it may.
 */
export function guardAccount(
  account: Pick<AccountRef, 'id' | 'upn'>,
  action: ContainmentAction,
  protectedAccounts: readonly string[],
  people: readonly Person[],
): string | undefined {
  const keys = [account.id.toLowerCase(), account.upn.toLowerCase()].filter(Boolean);
  if (keys.some((key) => protectedAccounts.includes(key))) {
    return 'it is a protected (break-glass) account';
  }
  const own = people.some((person) => keys.includes(person.id.toLowerCase()));
  if (own && SELF_HARMFUL.has(action)) return 'it is the account of a responder acting on it';
  return undefined;
}

/** Entra object ids are GUIDs; anything else in card data is refused before any lookup. */
export const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One press, one request: the same card and button give the same id, whoever retries. */
export function requestIdOf(input: {
  tenantId: string;
  incidentId: string;
  dedupeKey: string;
  scope: RequestScope;
  actions: readonly ContainmentAction[];
  accountId?: string;
}): string {
  // Not the gathered account list of "Contain all": it may change between two clicks.
  const parts = [
    input.tenantId,
    input.incidentId,
    input.dedupeKey,
    input.scope,
    input.actions.join(','),
    input.accountId ?? '',
  ];
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
