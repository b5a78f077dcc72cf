import type {
  AccountRef,
  ContainmentAction,
  ContainmentRequest,
  Execution,
  ExecutionState,
} from './containment';

/** The order aspects are told in, whatever order they happened in. */
const ASPECTS = ['sign-in', 'sessions', 'risk'] as const;

/** What each step changes on an account; a later step of the same aspect replaces an earlier. */
const ASPECT: Record<ContainmentAction, (typeof ASPECTS)[number]> = {
  block: 'sign-in',
  enable: 'sign-in',
  revoke: 'sessions',
  confirm: 'risk',
  dismiss: 'risk',
};

/** What a step that succeeded leaves the account as. */
export const RESULT_WORDS: Record<ContainmentAction, string> = {
  block: 'blocked',
  enable: 're-enabled',
  revoke: 'sessions revoked',
  confirm: 'confirmed compromised',
  dismiss: 'risk dismissed',
};

export interface ContainmentFact {
  action: ContainmentAction;
  state: Exclude<ExecutionState, 'skipped'>;
  /** When it finished, or for a step still executing, when it was claimed. */
  at: string;
}

/** How containment in one incident left one account, from the executions the server recorded. */
export interface AccountContainment {
  account: AccountRef;
  /**
   * Per aspect (sign-in, sessions, risk), the latest step that succeeded and, when newer, an attempt that failed or whose
   * outcome is not recorded yet: a failure leaves the earlier state standing, so both are said.
   */
  facts: ContainmentFact[];
  latestAt: string;
}

/**
 * Accounts that containment acted on, most recently acted on first. Skipped steps (refused, or
 * the account was gone) changed nothing and are left out. `requests` name the accounts; one
 * missing from them is named by its object id.
 */
export function accountContainment(
  requests: readonly ContainmentRequest[],
  executions: readonly Execution[],
): AccountContainment[] {
  const refs = new Map<string, AccountRef>();
  for (const request of requests) {
    for (const account of request.accounts) refs.set(account.id.toLowerCase(), account);
  }

  const byAccount = new Map<string, Execution[]>();
  for (const execution of executions) {
    if (execution.state === 'skipped') continue;
    const key = execution.accountId.toLowerCase();
    const steps = byAccount.get(key);
    if (steps) steps.push(execution);
    else byAccount.set(key, [execution]);
  }

  const result: AccountContainment[] = [];
  for (const [key, steps] of byAccount) {
    const facts = ASPECTS.flatMap((aspect) =>
      aspectFacts(steps.filter((step) => ASPECT[step.action] === aspect)),
    );
    const account = refs.get(key) ?? { id: steps[0].accountId, upn: '', name: steps[0].accountId };
    const latestAt = steps.reduce((at, step) => (step.updatedAt > at ? step.updatedAt : at), '');
    result.push({ account, facts, latestAt });
  }
  return result.sort((a, b) => b.latestAt.localeCompare(a.latestAt));
}

function aspectFacts(steps: Execution[]): ContainmentFact[] {
  const ordered = [...steps].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  const succeeded = ordered.filter((step) => step.state === 'succeeded').at(-1);
  const latest = ordered.at(-1);
  const facts = [succeeded, latest === succeeded ? undefined : latest].filter(
    (step): step is Execution => step !== undefined,
  );
  return facts.map((step) => ({
    action: step.action,
    state: step.state as ContainmentFact['state'],
    at: step.updatedAt,
  }));
}
