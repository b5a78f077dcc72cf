import type { Person } from '../incidents/incident';
import {
  ACTION_LABELS,
  guardAccount,
  type ContainmentAction,
  type ContainmentRequest,
} from './containment';
import { describeOutcome } from './outcomes';
import type { GraphOutcome, IdentityGraph, SecurityStore } from './ports';
import { record } from './security-audit';

const NO_CALL: GraphOutcome = { ok: false };

export interface RunnerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
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

  /** `protectedKeys`: PROTECTED_ACCOUNTS ids and UPNs, lower case, UPNs resolved to ids too. */
  async run(
    request: ContainmentRequest,
    actor: Person,
    protectedKeys: readonly string[],
  ): Promise<void> {
    const acting = [request.requestedBy, ...(request.decidedBy ? [request.decidedBy] : [])];
    const gone = new Set<string>();

    for (const account of request.accounts) {
      for (const action of request.actions) {
        const at = this.now();
        if (!(await this.store.claimExecution(request.id, account.id, action, at))) continue;

        const refusal = guardAccount(account, action, protectedKeys, acting);
        const { state, detail, outcome } = await this.step(action, account.id, refusal, gone);

        this.options.logger.info(
          {
            incidentId: request.incidentId,
            requestId: request.id,
            action,
            state,
            httpStatus: outcome.status,
            graphRequestId: outcome.requestId,
          },
          'containment step finished',
        );
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
    }
  }

  /** Refused and known-gone accounts are recorded as skipped without any Graph call. */
  private async step(
    action: ContainmentAction,
    accountId: string,
    refusal: string | undefined,
    gone: Set<string>,
  ) {
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
