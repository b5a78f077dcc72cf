import type { Person } from '../incidents/incident';
import type { ContainmentAction, ContainmentRequest, Execution } from './containment';
import type { OutcomeView } from './outcomes';
import type { DirectoryAccount, IdentityGraph, SecurityStore } from './ports';
import { record } from './security-audit';

/**
 * A step still executing after this long lost its outcome: the bot process died during its
 * Graph call. A live call cannot last this long: at worst four attempts (graph-retry.ts), each
 * given 300 s by Node's fetch to start answering, plus 10 s of waits (graph-write.ts), about
 * 20 minutes. Reading back sooner could record "not done" for a write still on its way.
 */
export const OUTCOME_LOST_AFTER_MS = 30 * 60_000;

export function isOutcomeLost(execution: Pick<Execution, 'state' | 'updatedAt'>, now: Date) {
  const claimed = Date.parse(execution.updatedAt);
  return execution.state === 'executing' && now.getTime() - claimed > OUTCOME_LOST_AFTER_MS;
}

/**
 * Steps whose effect the bot can read back from Entra: the account's `accountEnabled`.
 *
 * Known shortcoming: Revoke sessions, Confirm compromised and Dismiss risk are not read back
 * (the user's signInSessionsValidFromDateTime and the risky user's riskState would tell), so a
 * lost one stays "outcome not known: check Entra". All three are safe to repeat with a new
 * request.
 */
export function canReadBack(action: ContainmentAction): boolean {
  return action === 'block' || action === 'enable';
}

/**
 * Records the true outcome of steps whose outcome was lost, as Entra shows it now. It only
 * reads Graph, never writes, and the store's conditional finish lets one caller record each
 * step: a second re-check, or the lost call answering after all, records nothing.
 */
export class ContainmentRecheck {
  constructor(
    private readonly store: SecurityStore,
    private readonly identity: IdentityGraph,
    private readonly clock: () => Date,
  ) {}

  /** How many steps it recorded. */
  async run(request: ContainmentRequest, executions: Execution[], actor: Person): Promise<number> {
    let recorded = 0;
    for (const execution of executions) {
      if (!isOutcomeLost(execution, this.clock()) || !canReadBack(execution.action)) continue;

      const found = await this.identity.getAccount(execution.accountId);
      const view = readBack(execution.action, found);
      if (!view) continue;

      const account = request.accounts.find((a) => a.id === execution.accountId) ?? {
        id: execution.accountId,
        name: execution.accountId,
      };
      const won = await this.store.transaction(async (tx) => {
        const at = this.clock().toISOString();
        const finished = { ...execution, ...view, httpStatus: null, graphRequestId: null };
        if (!(await tx.finishExecution({ ...finished, updatedAt: at }))) return false;

        const audit = {
          tenantId: request.tenantId,
          incidentId: request.incidentId,
          actor,
          event: 'executed' as const,
          requestId: request.id,
          account,
          action: execution.action,
          outcome: view.detail,
        };
        await record(tx, audit, at, { timeline: true });
        return true;
      });
      if (won) recorded++;
    }
    return recorded;
  }
}

/** undefined when Entra did not say (no accountEnabled in its answer): the outcome stays lost. */
function readBack(
  action: ContainmentAction,
  found: DirectoryAccount | undefined,
): OutcomeView | undefined {
  const checked = 'checked in Entra after the outcome was lost';
  if (!found) {
    return {
      state: 'skipped',
      detail: `not applicable: the account no longer exists (${checked})`,
    };
  }
  if (found.accountEnabled === undefined) return undefined;

  const now = found.accountEnabled ? 'sign-in is allowed' : 'sign-in is blocked';
  return found.accountEnabled === (action === 'enable')
    ? { state: 'succeeded', detail: `done (${checked}: ${now})` }
    : { state: 'failed', detail: `not done (${checked}: ${now})` };
}
