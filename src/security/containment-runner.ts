import { randomUUID } from 'node:crypto';
import type { Person } from '../incidents/incident';
import {
  ACTION_LABELS,
  guardAccount,
  type AccountRef,
  type ContainmentAction,
  type ContainmentRequest,
  type ExecutionState,
} from './containment';
import { describeOutcome } from './outcomes';
import type { GraphOutcome, IdentityGraph, SecurityStore } from './ports';
import { record } from './security-audit';

const NO_CALL: GraphOutcome = { ok: false };

/** Why the steps of a run cut short by shutdown were not made; a new request makes them. */
const STOPPING = 'the bot was shutting down before this step; request it again';

export interface RunnerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

interface StepResult {
  state: Exclude<ExecutionState, 'executing'>;
  detail: string;
  outcome: GraphOutcome;
}

export interface RunnerOptions {
  clock: () => Date;
  logger: RunnerLogger;
}

/**
 * Carries out an approved request: one Graph call per account and action, each claimed in the
 * store first so that whoever else runs the same request (a retry, a second approver, another
 * instance) skips it. Every result is written with its audit record and timeline entry.
 */
export class ContainmentRunner {
  constructor(
    private readonly store: SecurityStore,
    private readonly identity: IdentityGraph,
    private readonly options: RunnerOptions,
  ) {}

  /**
   * `protectedKeys`: PROTECTED_ACCOUNTS ids and UPNs, lower case, UPNs resolved to ids too. Once
   * `signal` aborts (shutdown), steps not begun yet are recorded as not done instead of made.
   */
  async run(
    request: ContainmentRequest,
    actor: Person,
    protectedKeys: readonly string[],
    signal?: AbortSignal,
  ): Promise<void> {
    const acting = [request.requestedBy, ...(request.decidedBy ? [request.decidedBy] : [])];
    const gone = new Set<string>();

    for (const account of request.accounts) {
      for (const action of request.actions) {
        const at = this.now();
        if (!(await this.store.claimExecution(request.id, account.id, action, at))) continue;

        // Claimed, nobody else makes this call: whatever goes wrong, the step must get an end.
        try {
          const refusal = signal?.aborted
            ? STOPPING
            : guardAccount(account, action, protectedKeys, acting);
          const result = await this.step(action, account.id, refusal, gone);

          this.options.logger.info(
            {
              incidentId: request.incidentId,
              requestId: request.id,
              action,
              state: result.state,
              httpStatus: result.outcome.status,
              graphRequestId: result.outcome.requestId,
            },
            'containment step finished',
          );
          await this.finish(request, account, action, actor, result);
        } catch (error) {
          await this.recordThrow(request, account, action, actor, error);
        }
      }
    }
  }

  /** The step's result with its audit record and timeline entry, in one transaction. */
  private async finish(
    request: ContainmentRequest,
    account: AccountRef,
    action: ContainmentAction,
    actor: Person,
    { state, detail, outcome }: StepResult,
  ): Promise<void> {
    const recorded = await this.store.transaction(async (tx) => {
      const finishedAt = this.now();
      const won = await tx.finishExecution({
        requestId: request.id,
        accountId: account.id,
        action,
        state,
        detail,
        httpStatus: outcome.status ?? null,
        graphRequestId: outcome.requestId ?? null,
        updatedAt: finishedAt,
      });
      // A re-check (containment-recheck.ts) recorded this step after its outcome was lost.
      if (!won) return false;

      await record(
        tx,
        {
          tenantId: request.tenantId,
          incidentId: request.incidentId,
          actor,
          event: 'executed',
          requestId: request.id,
          account,
          action,
          outcome: detail,
          graphRequestId: outcome.requestId,
        },
        finishedAt,
        { timeline: true },
      );
      return true;
    });
    if (!recorded) {
      this.options.logger.warn(
        { incidentId: request.incidentId, requestId: request.id, action, state },
        'containment step answered after its outcome was recorded',
      );
    }
  }

  /**
   * A step that threw after its claim (the store failed, a bug) is recorded as failed with an
   * error id a responder can quote; the Graph call may have been made, so the card says to look.
   */
  private async recordThrow(
    request: ContainmentRequest,
    account: AccountRef,
    action: ContainmentAction,
    actor: Person,
    error: unknown,
  ): Promise<void> {
    const errorId = randomUUID().slice(0, 8);
    const fields = { incidentId: request.incidentId, requestId: request.id, action, errorId };
    this.options.logger.error({ ...fields, err: error }, 'containment step threw');

    const detail =
      `failed: the bot hit an error (error id ${errorId}); ` +
      'check Entra, the change may have been made';
    try {
      await this.finish(request, account, action, actor, {
        state: 'failed',
        detail,
        outcome: NO_CALL,
      });
    } catch (again) {
      this.options.logger.error({ ...fields, err: again }, 'containment step failure not recorded');
    }
  }

  /** Refused and known-gone accounts are recorded as skipped without any Graph call. */
  private async step(
    action: ContainmentAction,
    accountId: string,
    refusal: string | undefined,
    gone: Set<string>,
  ): Promise<StepResult> {
    if (refusal) {
      return { state: 'skipped' as const, detail: `not done: ${refusal}`, outcome: NO_CALL };
    }
    if (gone.has(accountId)) {
      const detail = 'not applicable: the account no longer exists';
      return { state: 'skipped' as const, detail, outcome: NO_CALL };
    }
    const outcome = await this.call(action, accountId);
    if (outcome.status === 404) gone.add(accountId);
    return { ...describeOutcome(action, outcome), outcome };
  }

  /** A thrown error (a bug, a broken connection) is a failure too, never a silent success. */
  private async call(action: ContainmentAction, accountId: string): Promise<GraphOutcome> {
    try {
      switch (action) {
        case 'block':
          return await this.identity.setAccountEnabled(accountId, false);
        case 'enable':
          return await this.identity.setAccountEnabled(accountId, true);
        case 'revoke':
          return await this.identity.revokeSessions(accountId);
        case 'confirm':
          return await this.identity.confirmCompromised([accountId]);
        case 'dismiss':
          return await this.identity.dismissRisk([accountId]);
      }
    } catch (error) {
      this.options.logger.warn(
        { err: error, action: ACTION_LABELS[action] },
        'containment call threw',
      );
      return { ok: false };
    }
  }

  private now(): string {
    return this.options.clock().toISOString();
  }
}
