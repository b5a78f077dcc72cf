import type { ContainmentAction, ExecutionState } from './containment';
import type { GraphOutcome } from './ports';

/** Graph operations the security features call, for naming what a 403 lacks. */
export type GraphOperation =
  | ContainmentAction
  | 'read-incident'
  | 'update-incident'
  | 'read-risky-users'
  | 'hunt'
  | 'check-membership';

const ADMIN_ROLE_NOTE =
  'if the account is a privileged administrator, the app also needs an Entra role that may act ' +
  'on it (Privileged Authentication Administrator)';

/**
 * What the app needs for each operation: least-privileged Graph application permission first.
 * Keyed by operation, never derived from Graph's message text, which changes and is localised.
 */
export const REQUIRED_PERMISSIONS: Record<GraphOperation, string> = {
  block: `User.EnableDisableAccount.All with User.Read.All (or User.ReadWrite.All); ${ADMIN_ROLE_NOTE}`,
  enable: `User.EnableDisableAccount.All with User.Read.All (or User.ReadWrite.All); ${ADMIN_ROLE_NOTE}`,
  revoke: `User.RevokeSessions.All; ${ADMIN_ROLE_NOTE}`,
  confirm: 'IdentityRiskyUser.ReadWrite.All',
  dismiss: 'IdentityRiskyUser.ReadWrite.All',
  'read-incident': 'SecurityIncident.Read.All',
  'update-incident': 'SecurityIncident.ReadWrite.All',
  'read-risky-users': 'IdentityRiskyUser.Read.All',
  hunt: 'ThreatHunting.Read.All',
  'check-membership': 'GroupMember.Read.All with User.Read.All',
};

export interface OutcomeView {
  state: Exclude<ExecutionState, 'executing'>;
  detail: string;
}

/**
 * The truthful line for a Graph answer: any 2xx is done; 403 names the missing permission and
 * the request id; 404 means the account is gone; everything else is a failure with its status.
 */
export function describeOutcome(operation: GraphOperation, outcome: GraphOutcome): OutcomeView {
  const ref = outcome.requestId ? ` (Graph request id ${outcome.requestId})` : '';
  const status = outcome.status;
  if (outcome.ok) return { state: 'succeeded', detail: `done${ref}` };
  if (status === 404) {
    return { state: 'skipped', detail: `not applicable: the account no longer exists${ref}` };
  }
  if (status === 401 || status === 403) {
    const needs = REQUIRED_PERMISSIONS[operation];
    return {
      state: 'failed',
      detail: `failed: insufficient permission; the app needs ${needs}${ref}`,
    };
  }
  if (status === 429) {
    return {
      state: 'failed',
      detail: `failed: Microsoft Graph kept throttling; try again later${ref}`,
    };
  }
  if (status === undefined) {
    return { state: 'failed', detail: 'failed: Microsoft Graph could not be reached' };
  }
  if (status >= 500) {
    return {
      state: 'failed',
      detail: `failed: Microsoft Graph error ${status} after retries${ref}`,
    };
  }
  const code = outcome.code ? ` ${outcome.code}` : '';
  return { state: 'failed', detail: `failed: Microsoft Graph refused (${status}${code})${ref}` };
}
