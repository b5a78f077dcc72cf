import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ContainmentRequest } from '../../src/security/containment';
import { SqlIncidentStore } from '../../src/store/sql-incident-store';
import { SqlSecurityStore } from '../../src/store/sql-security-store';
import {
  alice,
  bob,
  makeIncident,
  postgresTarget,
  sqliteTarget,
  uniqueTenant,
  type ScratchDatabase,
  type StoreTarget,
} from './helpers';

for (const target of [sqliteTarget, postgresTarget]) {
  (target.enabled ? describe : describe.skip)(`SqlSecurityStore on ${target.dialect}`, () => {
    defineTests(target);
  });
}

function defineTests(target: StoreTarget): void {
  let scratch: ScratchDatabase;
  let incidents: SqlIncidentStore;
  let store: SqlSecurityStore;

  before(async () => {
    scratch = await target.create();
    incidents = await SqlIncidentStore.open(scratch.url);
    store = SqlSecurityStore.sharing(incidents);
  });

  after(async () => {
    await incidents?.close();
    await scratch?.drop();
  });

  async function pendingRequest(): Promise<ContainmentRequest> {
    const incident = makeIncident({ tenantId: uniqueTenant() });
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
      state: 'pending',
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-01-01T00:30:00.000Z',
      decidedBy: null,
      decidedAt: null,
    };
    await store.insertRequest(request);
    return request;
  }

  it('lets exactly one of ten concurrent approvals decide a request', async () => {
    const request = await pendingRequest();

    const wins = await Promise.all(
      Array.from({ length: 10 }, () =>
        store.transaction((tx) =>
          tx.decide(request.id, 'approved', bob, '2026-01-01T00:01:00.000Z'),
        ),
      ),
    );

    assert.equal(wins.filter(Boolean).length, 1);
    assert.equal((await store.getRequest(request.id))?.decidedBy?.name, bob.name);
  });

  it('refuses an approval after the deadline and lets it expire once', async () => {
    const request = await pendingRequest();
    const late = '2026-01-01T00:31:00.000Z';

    assert.equal(await store.decide(request.id, 'approved', bob, late), false);
    const expiries = await Promise.all([
      store.decide(request.id, 'expired', null, late),
      store.decide(request.id, 'expired', null, late),
    ]);
    assert.equal(expiries.filter(Boolean).length, 1);
  });

  it('lets exactly one of ten concurrent links of the same Defender incident count a change', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant() });
    await incidents.insertIncident(incident);
    const link = { incidentId: incident.id, defenderIncidentId: '42', linkedBy: alice };

    const changes = await Promise.all(
      Array.from({ length: 10 }, () =>
        store.transaction((tx) => tx.setLink({ ...link, linkedAt: '2026-01-01T00:03:00.000Z' })),
      ),
    );

    assert.equal(changes.filter(Boolean).length, 1);
  });

  it('replaces a link with one to another Defender incident', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant() });
    await incidents.insertIncident(incident);
    const link = { incidentId: incident.id, linkedBy: alice, linkedAt: '2026-01-01T00:04:00.000Z' };
    await store.setLink({ ...link, defenderIncidentId: '42' });

    const changed = await store.setLink({ ...link, defenderIncidentId: '43', linkedBy: bob });

    assert.equal(changed, true);
    assert.equal((await store.getLink(incident.id))?.defenderIncidentId, '43');
  });

  it('lets exactly one of ten concurrent callers claim an execution', async () => {
    const request = await pendingRequest();
    const account = request.accounts[0].id;

    const claims = await Promise.all(
      Array.from({ length: 10 }, () =>
        store.claimExecution(request.id, account, 'block', '2026-01-01T00:02:00.000Z'),
      ),
    );

    assert.equal(claims.filter(Boolean).length, 1);
  });

  it('lets exactly one of ten concurrent callers record how a claimed step ended', async () => {
    const request = await pendingRequest();
    const accountId = request.accounts[0].id;
    await store.claimExecution(request.id, accountId, 'block', '2026-01-01T00:02:00.000Z');

    const finished = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.finishExecution({
          requestId: request.id,
          accountId,
          action: 'block',
          state: i % 2 ? 'succeeded' : 'failed',
          detail: `finisher ${i}`,
          httpStatus: null,
          graphRequestId: null,
          updatedAt: '2026-01-01T00:20:00.000Z',
        }),
      ),
    );

    const [execution] = await store.listExecutions(request.id);
    assert.equal(finished.filter(Boolean).length, 1);
    assert.equal(execution.detail, `finisher ${finished.indexOf(true)}`);
  });

  it('lists the executions of one incident only, the latest first', async () => {
    const ours = await pendingRequest();
    const theirs = await pendingRequest();
    const account = ours.accounts[0].id;
    await store.claimExecution(ours.id, account, 'block', '2026-01-01T00:02:00.000Z');
    await store.claimExecution(ours.id, account, 'revoke', '2026-01-01T00:03:00.000Z');
    await store.claimExecution(
      theirs.id,
      theirs.accounts[0].id,
      'block',
      '2026-01-01T00:04:00.000Z',
    );

    const listed = await store.listIncidentExecutions(ours.incidentId, 10);

    assert.deepEqual(
      listed.map((execution) => execution.action),
      ['revoke', 'block'],
    );
    assert.ok(listed.every((execution) => execution.requestId === ours.id));
  });

  it('keeps the audit append-only: the database refuses to change or delete a record', async () => {
    const request = await pendingRequest();
    const record = {
      id: randomUUID(),
      tenantId: request.tenantId,
      incidentId: request.incidentId,
      at: '2026-01-01T00:00:00.000Z',
      actor: alice,
      event: 'requested' as const,
      requestId: request.id,
      accountId: null,
      accountName: null,
      action: 'block' as const,
      outcome: 'waiting',
      graphRequestId: null,
    };
    await store.appendAudit(record);

    const db = incidents.database;
    await assert.rejects(
      db
        .updateTable('security_audit')
        .set({ outcome: 'done' })
        .where('id', '=', record.id)
        .execute(),
      /append-only/,
    );
    await assert.rejects(
      db.deleteFrom('security_audit').where('id', '=', record.id).execute(),
      /append-only/,
    );
  });
}
