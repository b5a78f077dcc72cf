import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { EvidenceFile } from '../../src/evidence/evidence';
import { SqlEvidenceStore } from '../../src/store/sql-evidence-store';
import { SqlIncidentStore } from '../../src/store/sql-incident-store';
import {
  alice,
  makeIncident,
  postgresTarget,
  sqliteTarget,
  uniqueTenant,
  type ScratchDatabase,
  type StoreTarget,
} from './helpers';

for (const target of [sqliteTarget, postgresTarget]) {
  (target.enabled ? describe : describe.skip)(`SqlEvidenceStore on ${target.dialect}`, () => {
    defineTests(target);
  });
}

function defineTests(target: StoreTarget): void {
  let scratch: ScratchDatabase;
  let incidents: SqlIncidentStore;
  let store: SqlEvidenceStore;

  before(async () => {
    scratch = await target.create();
    incidents = await SqlIncidentStore.open(scratch.url);
    store = SqlEvidenceStore.sharing(incidents);
  });

  after(async () => {
    await incidents?.close();
    await scratch?.drop();
  });

  function evidence(tenantId: string, sourceKey = `activity:${randomUUID()}:0`): EvidenceFile {
    return {
      id: randomUUID(),
      tenantId,
      sourceKey,
      name: 'sign-ins.csv',
      fileType: 'csv',
      size: 4,
      sha256: 'ab'.repeat(32),
      uploadedBy: alice,
      receivedAt: '2026-12-03T10:00:00.000Z',
      incidentId: null,
      attachedAt: null,
    };
  }

  it('keeps the content byte for byte', async () => {
    const file = evidence(uniqueTenant());
    const bytes = new Uint8Array([0, 255, 10, 13]);

    await store.insertFile(file, bytes);

    assert.deepEqual(await store.readContent(file.id), bytes);
    assert.deepEqual(await store.getFile(file.id), file);
  });

  it('stores a file of one message once, however often it is inserted', async () => {
    const tenantId = uniqueTenant();
    const first = evidence(tenantId, 'activity:a1:0');

    const inserted = await store.insertFile(first, new Uint8Array([1]));
    const again = await store.insertFile({ ...first, id: randomUUID() }, new Uint8Array([1]));

    assert.deepEqual([inserted, again], [true, false]);
    assert.equal((await store.findBySource(tenantId, 'activity:a1:0'))?.id, first.id);
  });

  it('lets exactly one of several concurrent callers attach a file', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant() });
    await incidents.insertIncident(incident);
    const file = evidence(incident.tenantId);
    await store.insertFile(file, new Uint8Array([1]));

    const wins = await Promise.all(
      Array.from({ length: 6 }, () =>
        store.attachFile(file.id, incident.id, '2026-12-03T11:00:00Z'),
      ),
    );

    assert.equal(wins.filter(Boolean).length, 1);
    assert.equal((await store.getFile(file.id))?.incidentId, incident.id);
  });
}
