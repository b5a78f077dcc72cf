import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ContainmentRequest } from '../../src/security/containment';
import { ContainmentRunner } from '../../src/security/containment-runner';
import type { IdentityGraph } from '../../src/security/ports';
import { SqlIncidentStore } from '../../src/store/sql-incident-store';
import { SqlSecurityStore } from '../../src/store/sql-security-store';
import { alice, bob, makeIncident, sqliteTarget, type ScratchDatabase } from '../store/helpers';

describe('ContainmentRunner', () => {
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

  it('records nothing when its call answers after a re-check recorded the step', async () => {
    const incident = makeIncident();
    await incidents.insertIncident(incident);
    const request: ContainmentRequest = {
      id: randomUUID(),
      tenantId: incident.tenantId,
      incidentId: incident.id,
      scope: 'account',
      actions: ['block'],
      accounts: [{ id: randomUUID(), upn: 'x@contoso.example', name: 'X' }],
      requestedBy: alice,
      reason: '',
      state: 'approved',
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      decidedBy: bob,
      decidedAt: new Date().toISOString(),
    };
    await store.insertRequest(request);
    const warnings: string[] = [];
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
    } as unknown as IdentityGraph;
    const logger = {
      info: () => undefined,
      warn: (_: object, message: string) => warnings.push(message),
    };

    await new ContainmentRunner(store, identity, { clock: () => new Date(), logger }).run(
      request,
      bob,
      [],
    );

    const audit = await store.listAudit(incident.id, 10);
    assert.equal(audit.filter((r) => r.event === 'executed').length, 0);
    assert.deepEqual(warnings, ['containment step answered after its outcome was recorded']);
  });
});
