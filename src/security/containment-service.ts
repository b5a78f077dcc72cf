import { ForbiddenError, InputError, NotFoundError } from '../errors';
import type { Person } from '../incidents/incident';
import {
  ACTION_LABELS,
  CONTAIN_ALL_STEPS,
  guardAccount,
  needsApproval,
  OBJECT_ID,
  type AccountRef,
  type ApprovalMode,
  type ContainmentAction,
  type ContainmentRequest,
  type RequestScope,
  type RequestView,
  requestIdOf,
} from './containment';
import { ContainmentBackground, type WhenSettled } from './containment-background';
import { ContainmentRecheck } from './containment-recheck';
import { ContainmentRunner, type RunnerLogger } from './containment-runner';
import type { IdentityGraph, SecurityStore } from './ports';
import { ProtectedAccounts } from './protected-accounts';
import type { ResponderCheck } from './responders';
import { record, type AuditInput } from './security-audit';

/** Each account is several Graph calls; a card names at most this many in one request. */
const MAX_CONTAIN_ALL = 50;

export type { RequestView, WhenSettled };

export interface ContainmentOptions {
  mode: ApprovalMode;
  requestMinutes: number;
  protectedAccounts: readonly string[];
  clock: () => Date;
  logger: RunnerLogger;
  /** How long a press waits for its steps (or the race winner's) before it is answered. */
  answerWithinMs?: number;
  /** How long stop() lets running steps finish. */
  stopWithinMs?: number;
}

export interface RequestInput {
  tenantId: string;
  incidentId: string;
  actor: Person;
  scope: RequestScope;
  actions: ContainmentAction[];
  /** Scope 'account': the Entra object id from the button. */
  accountId?: string;
  /** Scope 'all': the accounts at risk as the server gathered them from Graph. */
  accounts?: AccountRef[];
  reason: string;
  /** Same for a double click or a Teams retry of one press: the card's id, else the activity's. */
  dedupeKey: string;
}

/** Requests, approvals and their execution: the rules of issue 4 items 2–5. */
export class ContainmentService {
  private readonly runner: ContainmentRunner;
  private readonly background: ContainmentBackground;
  private readonly recheckSteps: ContainmentRecheck;
  private readonly protectedAccounts: ProtectedAccounts;

  constructor(
    private readonly store: SecurityStore,
    private readonly identity: IdentityGraph,
    private readonly responders: ResponderCheck,
    private readonly options: ContainmentOptions,
  ) {
    this.runner = new ContainmentRunner(store, identity, options);
    this.background = new ContainmentBackground(store, options);
    this.recheckSteps = new ContainmentRecheck(store, identity, options.clock);
    this.protectedAccounts = new ProtectedAccounts(options.protectedAccounts, identity);
  }

  get mode(): ApprovalMode {
    return this.options.mode;
  }

  /**
   * Steps that outlive the answer go on in the background: the answer shows them in progress and
   * `whenSettled` is told how they ended. So do approve and reject.
   */
  async request(input: RequestInput, whenSettled?: WhenSettled): Promise<RequestView> {
    const accountId = input.accountId ?? null;
    const audit = { tenantId: input.tenantId, incidentId: input.incidentId, actor: input.actor };
    await this.assertResponder(audit, { action: input.actions[0], accountId });

    const twoPerson = needsApproval(input.scope, input.actions, 'two-person');
    if (this.options.mode === 'single' && twoPerson && input.reason.trim() === '') {
      throw new InputError('Give a reason: with single approval it is recorded with the action.');
    }
    const accounts = await this.accountsFor(input, audit);

    const now = this.options.clock();
    const pending = needsApproval(input.scope, input.actions, this.options.mode);
    const request: ContainmentRequest = {
      id: requestIdOf(input),
      tenantId: input.tenantId,
      incidentId: input.incidentId,
      scope: input.scope,
      actions: input.actions,
      accounts,
      requestedBy: input.actor,
      reason: input.reason.trim().slice(0, 500),
      state: pending ? 'pending' : 'approved',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.options.requestMinutes * 60_000).toISOString(),
      decidedBy: pending ? null : input.actor,
      decidedAt: pending ? null : now.toISOString(),
    };

    const created = await this.store.transaction(async (tx) => {
      if (!(await tx.insertRequest(request))) return false;
      const outcome = pending ? 'waiting for a second responder' : describeStart(request);
      for (const account of accounts.length === 1 ? accounts : []) {
        await this.record(tx, {
          ...audit,
          event: 'requested',
          requestId: request.id,
          account,
          action: input.actions[0],
          outcome,
        });
      }
      if (accounts.length !== 1) {
        const names = `${accounts.length} accounts (${input.actions.map((a) => ACTION_LABELS[a]).join(', ')})`;
        await this.record(tx, {
          ...audit,
          event: 'requested',
          requestId: request.id,
          outcome: `Contain all: ${names}; ${outcome}`,
        });
      }
      return true;
    });

    if (created && !pending) this.execute(request, input.actor);
    return this.background.answer(request.id, whenSettled);
  }

  async approve(requestId: string, tenantId: string, actor: Person, whenSettled?: WhenSettled) {
    return this.decide(requestId, tenantId, actor, 'approved', whenSettled);
  }

  async reject(requestId: string, tenantId: string, actor: Person, whenSettled?: WhenSettled) {
    return this.decide(requestId, tenantId, actor, 'rejected', whenSettled);
  }

  /** Waits, bounded, for steps still running, so that none writes to a closed store. */
  stop(): Promise<void> {
    return this.background.stop();
  }

  /** Reads back from Entra the steps whose outcome was lost, and records what it shows. */
  async recheck(requestId: string, tenantId: string, actor: Person): Promise<RequestView> {
    const { request, executions } = await this.view(requestId, tenantId);
    const audit = { tenantId, incidentId: request.incidentId, actor, requestId };
    await this.assertResponder(audit, { accountId: null });

    await this.recheckSteps.run(request, executions, actor);
    return this.view(requestId, tenantId);
  }

  async view(requestId: string, tenantId: string): Promise<RequestView> {
    const request = await this.store.getRequest(requestId);
    if (!request || request.tenantId !== tenantId)
      throw new NotFoundError('That request does not exist.');
    return { request, executions: await this.store.listExecutions(request.id) };
  }

  private async decide(
    requestId: string,
    tenantId: string,
    actor: Person,
    to: 'approved' | 'rejected',
    whenSettled?: WhenSettled,
  ): Promise<RequestView> {
    const found = await this.view(requestId, tenantId);
    const request = found.request;
    const audit = { tenantId, incidentId: request.incidentId, actor, requestId };
    await this.assertResponder(audit, { accountId: null });
    if (to === 'approved' && actor.id.toLowerCase() === request.requestedBy.id.toLowerCase()) {
      await this.refuse(audit, 'requester tried to approve their own request');
      throw new ForbiddenError('you requested this; another security responder must approve it.');
    }

    const now = this.options.clock().toISOString();
    const won = await this.store.transaction(async (tx) => {
      if (await tx.decide(requestId, to, actor, now)) {
        const reason = request.reason ? `reason given: ${request.reason}` : '';
        await this.record(tx, { ...audit, event: to, outcome: reason });
        return true;
      }
      // Nobody decided in time: the request lapses, once, whoever notices first.
      if (await tx.decide(requestId, 'expired', null, now)) {
        await this.record(tx, { ...audit, event: 'expired', outcome: 'no decision in time' });
      }
      return false;
    });

    if (won && to === 'approved') {
      this.execute({ ...request, state: 'approved', decidedBy: actor, decidedAt: now }, actor);
    }
    return this.background.answer(requestId, whenSettled);
  }

  /** The Graph calls of an approved request, the protected accounts' lookup included. */
  private execute(request: ContainmentRequest, actor: Person): void {
    this.background.launch(request, async (signal) => {
      const protectedKeys = await this.protectedAccounts.keys();
      await this.runner.run(request, actor, protectedKeys, signal);
    });
  }

  /** Only SECURITY_RESPONDERS_GROUP_ID members act; anyone else is refused and recorded. */
  private async assertResponder(
    audit: Omit<AuditInput, 'event' | 'outcome'>,
    what: { action?: ContainmentAction; accountId: string | null },
  ): Promise<void> {
    if (await this.responders.isResponder(audit.tenantId, audit.actor.id)) return;
    const account = what.accountId ? { id: what.accountId, name: what.accountId } : undefined;
    await this.refuse({ ...audit, account, action: what.action }, 'not a security responder');
    this.options.logger.warn(
      { incidentId: audit.incidentId },
      'containment refused: not a responder',
    );
    throw new ForbiddenError(
      this.responders.configured
        ? 'only members of the security responders group may contain accounts.'
        : 'no security responders group is configured (SECURITY_RESPONDERS_GROUP_ID).',
    );
  }

  /** The account of a one-account request, refused before any write when it is protected. */
  private async accountsFor(
    input: RequestInput,
    audit: Omit<AuditInput, 'event' | 'outcome'>,
  ): Promise<AccountRef[]> {
    if (input.scope === 'all') {
      if (!input.actions.every((a) => (CONTAIN_ALL_STEPS as readonly string[]).includes(a))) {
        throw new InputError(
          'Contain all applies Block sign-in, Revoke sessions and Confirm compromised.',
        );
      }
      if (input.actions.length === 0) throw new InputError('Choose at least one step.');
      if (!input.accounts?.length) throw new InputError('There is no account at risk to contain.');
      if (input.accounts.length > MAX_CONTAIN_ALL) {
        throw new InputError(`Contain all acts on at most ${MAX_CONTAIN_ALL} accounts at once.`);
      }
      return input.accounts;
    }

    const id = input.accountId ?? '';
    const action = input.actions[0];
    if (!OBJECT_ID.test(id) || input.actions.length !== 1) {
      throw new InputError('This button did not name an account.');
    }
    const people = [input.actor];
    const protectedKeys = await this.protectedAccounts.keys();
    const byId = guardAccount({ id, upn: '' }, action, protectedKeys, people);
    if (byId) await this.refuseAccount(audit, { id, name: id }, action, byId);

    const found = await this.identity.getAccount(id);
    if (!found) {
      await this.refuse(
        { ...audit, account: { id, name: id }, action },
        'the account no longer exists',
      );
      throw new NotFoundError('That account no longer exists in Entra ID; nothing was done.');
    }
    const account = { id: found.id, upn: found.upn, name: found.name };
    const byUpn = guardAccount(account, action, protectedKeys, people);
    if (byUpn) await this.refuseAccount(audit, account, action, byUpn);
    return [account];
  }

  private async refuseAccount(
    audit: Omit<AuditInput, 'event' | 'outcome'>,
    account: Pick<AccountRef, 'id' | 'name'>,
    action: ContainmentAction,
    why: string,
  ): Promise<never> {
    await this.refuse({ ...audit, account, action }, `refused: ${why}`);
    throw new ForbiddenError(`${ACTION_LABELS[action]} is refused for this account: ${why}.`);
  }

  private refuse(audit: Omit<AuditInput, 'event' | 'outcome'>, outcome: string) {
    return this.store.transaction((tx) => this.record(tx, { ...audit, event: 'refused', outcome }));
  }

  private record(tx: SecurityStore, input: AuditInput) {
    const timeline = input.event !== 'refused';
    return record(tx, input, this.options.clock().toISOString(), { timeline });
  }
}

function describeStart(request: ContainmentRequest): string {
  return request.reason ? `started; reason: ${request.reason}` : 'started';
}
