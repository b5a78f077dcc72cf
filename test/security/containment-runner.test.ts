import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { ContainmentRequest } from '../../src/security/containment';
import { ContainmentBackground } from '../../src/security/containment-background';
import { ContainmentRunner } from '../../src/security/containment-runner';
import type { IdentityGraph, SecurityStore } from '../../src/security/ports';
import { SqlIncidentStore } from '../../src/store/sql-incident-store';
import { SqlSecurityStore } from '../../src/store/sql-security-store';
import { alice, bob, makeIncident, sqliteTarget, type ScratchDatabase } from '../store/helpers';

/** Log lines by level, message and fields, as pino would get them. */
function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (fields: object, message: string) =>
    lines.push({ level, message, fields: fields as Record<string, unknown> });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

describe('containment execution on SQLite', () => {
  let scratch: ScratchDatabase;
  let incidents: SqlIncidentStore;
  let store: SqlSecurityStore;

  before(async () => {
    scratch = await sqliteTarget.create();
    incidents = await SqlIncidentStore.open(scratch.url);
    store = SqlSecurityStore.sharing(incidents);
  });

  after(async () => {
    await incidents?.close();
    await scratch?.drop();
  });

  let number = 0;

  /** An approved request to block `accounts` accounts, stored with an incident of its own. */
  async function approvedBlock(accounts = 1): Promise<ContainmentRequest> {
    number += 1;
    const incident = makeIncident({ number });
    await incidents.insertIncident(incident);
    const request: ContainmentRequest = {
      id: randomUUID(),
      tenantId: incident.tenantId,
      incidentId: incident.id,
      scope: accounts === 1 ? 'account' : 'all',
      actions: ['block'],
      accounts: Array.from({ length: accounts }, (_, i) => ({
        id: randomUUID(),
        upn: `user${i}@contoso.example`,
        name: `User ${i}`,
      })),
      requestedBy: alice,
      reason: '',
      state: 'approved',
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      decidedBy: bob,
      decidedAt: new Date().toISOString(),
    };
    await store.insertRequest(request);
    return request;
  }

  function runner(
    identity: Partial<IdentityGraph>,
    logger = recordingLogger(),
    on: SecurityStore = store,
  ) {
    const options = { clock: () => new Date(), logger };
    return new ContainmentRunner(on, identity as IdentityGraph, options);
  }

  describe('ContainmentRunner', () => {
    it('records nothing when its call answers after a re-check recorded the step', async () => {
      const request = await approvedBlock();
      const logger = recordingLogger();
      // The call outlives the re-check: the step's outcome is recorded while it is under way.
      const identity = {
        async setAccountEnabled() {
          await store.finishExecution({
            requestId: request.id,
            accountId: request.accounts[0].id,
            action: 'block',
            state: 'succeeded',
            detail: 'done (checked in Entra after the outcome was lost: sign-in is blocked)',
            httpStatus: null,
            graphRequestId: null,
            updatedAt: new Date().toISOString(),
          });
          return { ok: true, status: 204 };
        },
      };

      await runner(identity, logger).run(request, bob, []);

      const audit = await store.listAudit(request.incidentId, 10);
      assert.equal(audit.filter((r) => r.event === 'executed').length, 0);
      assert.deepEqual(
        logger.lines.filter((line) => line.level === 'warn').map((line) => line.message),
        ['containment step answered after its outcome was recorded'],
      );
    });

    it('records a step whose result could not be written as failed, with an error id', async () => {
      const request = await approvedBlock();
      const logger = recordingLogger();
      let transactions = 0;
      // The first write of the result fails, as a database that dropped its connection would.
      const flaky: SecurityStore = Object.create(store, {
        transaction: {
          value: <T>(work: (tx: SecurityStore) => Promise<T>) => {
            transactions += 1;
            if (transactions === 1) return Promise.reject(new Error('connection lost'));
            return store.transaction(work);
          },
        },
      });
      const identity = { setAccountEnabled: async () => ({ ok: true, status: 204 }) };

      await runner(identity, logger, flaky).run(request, bob, []);

      const [step] = await store.listExecutions(request.id);
      const logged = logger.lines.find((line) => line.message === 'containment step threw');
      assert.deepEqual(
        [step.state, /error id ([0-9a-f]{8})/.exec(step.detail)?.[1]],
        ['failed', logged?.fields.errorId],
      );
      assert.equal(logged?.fields.incidentId, request.incidentId);
    });
  });

  describe('ContainmentBackground', () => {
    it('logs a run that throws with its error id, and lets no rejection go unhandled', async () => {
      const request = await approvedBlock();
      const logger = recordingLogger();
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      const background = new ContainmentBackground(store, { clock: () => new Date(), logger });

      background.launch(request, async () => {
        throw new Error('the store is gone');
      });
      await background.stop();
      await new Promise((resolve) => setImmediate(resolve));
      process.off('unhandledRejection', onUnhandled);

      const failed = logger.lines.find((line) => line.message === 'containment run failed');
      assert.deepEqual([failed?.level, typeof failed?.fields.errorId], ['error', 'string']);
      assert.deepEqual(unhandled, []);
    });

    it('makes no further call once shutdown can wait no longer, and says so per step', async () => {
      const request = await approvedBlock(2);
      let calls = 0;
      let calling!: () => void;
      const firstCall = new Promise<void>((resolve) => (calling = resolve));
      let halt: AbortSignal | undefined;
      // The first call answers only when shutdown gives up waiting for it.
      const identity = {
        async setAccountEnabled() {
          calls += 1;
          calling();
          if (halt && !halt.aborted) await once(halt, 'abort');
          return { ok: true, status: 204 };
        },
      };
      const background = new ContainmentBackground(store, {
        clock: () => new Date(),
        logger: recordingLogger(),
        stopWithinMs: 0,
      });
      background.launch(request, (signal) => {
        halt = signal;
        return runner(identity).run(request, bob, [], signal);
      });
      await firstCall;

      await background.stop();

      const steps = await store.listExecutions(request.id);
      const inOrder = request.accounts.map((a) => steps.find((step) => step.accountId === a.id));
      assert.equal(calls, 1);
      assert.deepEqual(
        inOrder.map((step) => [step?.state, /shutting down/.test(step?.detail ?? '')]),
        [
          ['succeeded', false],
          ['skipped', true],
        ],
      );
    });
  });
});
