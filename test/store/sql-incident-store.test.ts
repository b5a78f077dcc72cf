import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database';
import { SqlIncidentStore } from '../../src/store/sql-incident-store';
import {
  makeBareIncident,
  makeEntry,
  makeIncident,
  postgresTarget,
  sqliteTarget,
  uniqueTenant,
  type ScratchDatabase,
  type StoreTarget,
} from './helpers';

for (const target of [sqliteTarget, postgresTarget]) {
  // Without TEST_DATABASE_URL the PostgreSQL variant shows as pending instead of failing.
  (target.enabled ? describe : describe.skip)(`SqlIncidentStore on ${target.dialect}`, () => {
    defineStoreTests(target);
  });
}

function defineStoreTests(target: StoreTarget): void {
  let scratch: ScratchDatabase;
  let store: SqlIncidentStore;

  before(async () => {
    scratch = await target.create();
    store = await SqlIncidentStore.open(scratch.url);
  });

  after(async () => {
    await store?.close();
    await scratch?.drop();
  });

  it('reports which database it runs on and answers a ping', async () => {
    assert.equal(store.dialect, target.dialect);
    await store.ping();
  });

  it('gives back an inserted incident with every field intact', async () => {
    const full = makeIncident({ tenantId: uniqueTenant() });
    const bare = makeBareIncident({ tenantId: uniqueTenant() });
    await store.insertIncident(full);
    await store.insertIncident(bare);
    assert.deepEqual(await store.getIncident(full.id), full);
    assert.deepEqual(await store.getIncident(bare.id), bare);
  });

  it('finds an incident by tenant and number only within that tenant', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant(), number: 7 });
    await store.insertIncident(incident);
    assert.equal((await store.getIncidentByNumber(incident.tenantId, 7))?.id, incident.id);
    assert.equal(await store.getIncidentByNumber(uniqueTenant(), 7), undefined);
  });

  it('numbers incidents from 1 upwards, separately for each tenant', async () => {
    const [a, b] = [uniqueTenant(), uniqueTenant()];
    const numbers = [
      await store.nextIncidentNumber(a),
      await store.nextIncidentNumber(a),
      await store.nextIncidentNumber(b),
      await store.nextIncidentNumber(a),
    ];
    assert.deepEqual(numbers, [1, 2, 1, 3]);
  });

  it('hands out 20 distinct numbers to 20 concurrent callers', async () => {
    const tenant = uniqueTenant();
    const numbers = await Promise.all(
      Array.from({ length: 20 }, () => store.nextIncidentNumber(tenant)),
    );
    assert.equal(new Set(numbers).size, 20);
    assert.deepEqual([...numbers].sort((x, y) => x - y)[19], 20);
  });

  it('claims a key once and refuses it afterwards', async () => {
    const key = `activity-${uniqueTenant()}`;
    assert.equal(await store.claim(key), true);
    assert.equal(await store.claim(key), false);
  });

  it('prunes keys handled before the cutoff, keeping recent and permanent ones', async () => {
    const [old, welcome, recent] = ['activity:', 'welcome:', 'activity:'].map(
      (prefix) => `${prefix}${uniqueTenant()}`,
    );
    const longAgo = '2020-01-01T00:00:00.000Z';
    await store.database
      .insertInto('handled_keys')
      .values([old, welcome].map((key) => ({ key, handled_at: longAgo })))
      .execute();
    await store.claim(recent);

    const pruned = await store.pruneHandledKeys('2020-01-02T00:00:00.000Z', ['welcome:'], 100);

    assert.equal(pruned, 1);
    assert.deepEqual(await Promise.all([old, welcome, recent].map((key) => store.claim(key))), [
      true,
      false,
      false,
    ]);
  });

  it('lets exactly one of 10 concurrent claims of a key win', async () => {
    const key = `activity-${uniqueTenant()}`;
    const results = await Promise.all(Array.from({ length: 10 }, () => store.claim(key)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  it('lets exactly one of two separate instances win each concurrent claim', async () => {
    const other = await SqlIncidentStore.open(scratch.url);
    try {
      const keys = Array.from({ length: 20 }, (_, i) => `race-${i}-${uniqueTenant()}`);
      const results = await Promise.all(
        keys.map((key) => Promise.all([store.claim(key), other.claim(key)])),
      );
      assert.ok(results.every(([mine, theirs]) => mine !== theirs));
      assert.equal(results.flat().filter(Boolean).length, 20);
    } finally {
      await other.close();
    }
  });

  // Two SQLite connections in one thread cannot both hold a transaction open: the second would
  // block the thread while the first waits for it. Across processes BEGIN IMMEDIATE covers it.
  (target.dialect === 'postgres' ? it : it.skip)(
    'lets one of two instances win a claim made inside slow transactions',
    async () => {
      const other = await SqlIncidentStore.open(scratch.url);
      try {
        const key = `slow-${uniqueTenant()}`;
        const claimSlowly = (instance: SqlIncidentStore) =>
          instance.transaction(async (tx) => {
            const won = await tx.claim(key);
            await sleep(50);
            return won;
          });
        const results = await Promise.all([claimSlowly(store), claimSlowly(other)]);
        assert.equal(results.filter(Boolean).length, 1);
        assert.equal(await store.claim(key), false);
      } finally {
        await other.close();
      }
    },
  );

  it('refuses an update from a stale version and keeps the stored incident', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant() });
    await store.insertIncident(incident);
    const readEarlier = { ...incident, version: incident.version - 1 };
    const stale = { ...incident, title: 'stale', version: incident.version };
    assert.equal(await store.updateIncident(stale, readEarlier), false);
    assert.deepEqual(await store.getIncident(incident.id), incident);
  });

  it('applies an update from the current version and moves the room with the place', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant() });
    await store.insertIncident(incident);
    const place = {
      mode: 'thread' as const,
      serviceUrl: 'https://x/',
      conversationId: '19:t;messageid=9',
    };
    const next = { ...incident, status: 'identified' as const, place, version: 2 };
    assert.equal(await store.updateIncident(next, incident), true);
    assert.deepEqual(await store.findIncidentByRoom(incident.tenantId, '19:t;messageid=9'), next);
  });

  it('finds an incident by its room key, only within its tenant', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant() });
    await store.insertIncident(incident);
    const found = await store.findIncidentByRoom(incident.tenantId, '19:abc@thread.tacv2');
    assert.equal(found?.id, incident.id);
    assert.equal(await store.findIncidentByRoom(uniqueTenant(), '19:abc@thread.tacv2'), undefined);
  });

  it('gives a war room in a chat no room key, as a chat can hold several incidents', async () => {
    const place = { mode: 'chat' as const, serviceUrl: 'https://x/', conversationId: '19:chat' };
    const incident = makeIncident({ tenantId: uniqueTenant(), place });
    await store.insertIncident(incident);
    assert.deepEqual((await store.getIncident(incident.id))?.place, place);
    assert.equal(await store.findIncidentByRoom(incident.tenantId, '19:chat'), undefined);
  });

  it('lists incidents newest first, leaving out resolved and closed ones when asked', async () => {
    const tenantId = uniqueTenant();
    const statuses = ['investigating', 'resolved', 'monitoring', 'closed', 'identified'] as const;
    for (const [index, status] of statuses.entries()) {
      await store.insertIncident(makeIncident({ tenantId, number: index + 1, status }));
    }
    const open = await store.listIncidents(tenantId, { openOnly: true, limit: 10 });
    const all = await store.listIncidents(tenantId, { openOnly: false, limit: 4 });
    assert.deepEqual(
      open.map((i) => i.number),
      [5, 3, 1],
    );
    assert.deepEqual(
      all.map((i) => i.number),
      [5, 4, 3, 2],
    );
  });

  it('pages the timeline newest first, keeping insertion order for equal times', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant() });
    await store.insertIncident(incident);
    const times = ['03:01', '03:03', '03:02', '03:03', '03:04'];
    for (const [index, time] of times.entries()) {
      const at = `2025-01-02T${time}:00.000Z`;
      await store.appendTimeline(makeEntry(incident.id, { at, text: `e${index}` }));
    }
    const first = await store.listTimeline(incident.id, { offset: 0, limit: 2 });
    const second = await store.listTimeline(incident.id, { offset: 2, limit: 2 });
    assert.deepEqual(
      [...first, ...second].map((e) => e.text),
      ['e4', 'e3', 'e1', 'e2'],
    );
    assert.equal(await store.countTimeline(incident.id), 5);
  });

  it('gives back a timeline entry with every field intact', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant() });
    const entry = makeEntry(incident.id, { kind: 'declared', text: 'Declared SEV2' });
    await store.insertIncident(incident);
    await store.appendTimeline(entry);
    assert.deepEqual(await store.listTimeline(incident.id, { offset: 0, limit: 5 }), [entry]);
  });

  it('rolls back the incident and its timeline when the work throws', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant() });
    const failure = store.transaction(async (tx) => {
      await tx.insertIncident(incident);
      await tx.appendTimeline(makeEntry(incident.id));
      throw new Error('boom');
    });
    await assert.rejects(failure, /boom/);
    assert.equal(await store.getIncident(incident.id), undefined);
    assert.equal(await store.countTimeline(incident.id), 0);
  });

  it('rolls back a claim and a number taken in a failed transaction', async () => {
    const tenantId = uniqueTenant();
    const key = `activity-${tenantId}`;
    const failure = store.transaction(async (tx) => {
      await tx.claim(key);
      await tx.nextIncidentNumber(tenantId);
      throw new Error('boom');
    });
    await assert.rejects(failure, /boom/);
    assert.equal(await store.claim(key), true);
    assert.equal(await store.nextIncidentNumber(tenantId), 1);
  });

  it('joins a nested transaction to the outer one', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant() });
    const failure = store.transaction(async (tx) => {
      await tx.transaction((inner) => inner.insertIncident(incident));
      assert.equal((await tx.getIncident(incident.id))?.id, incident.id);
      throw new Error('outer fails after inner finished');
    });
    await assert.rejects(failure, /outer fails/);
    assert.equal(await store.getIncident(incident.id), undefined);
  });

  it('runs concurrent read-modify-write transactions one after the other', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant(), affectedUsers: 0 });
    await store.insertIncident(incident);
    const bump = () =>
      store.transaction(async (tx) => {
        const current = await tx.getIncident(incident.id);
        assert.ok(current);
        await sleep(5); // Gives the other transactions a chance to interleave, were it possible.
        const next = { ...current, affectedUsers: (current.affectedUsers ?? 0) + 1 };
        return tx.updateIncident({ ...next, version: current.version + 1 }, current);
      });
    const results = await Promise.all(Array.from({ length: 5 }, bump));
    assert.deepEqual(results, [true, true, true, true, true]);
    const stored = await store.getIncident(incident.id);
    assert.deepEqual([stored?.affectedUsers, stored?.version], [5, 6]);
  });

  it('names the incident and column when a stored row is corrupt', async () => {
    const incident = makeIncident({ tenantId: uniqueTenant() });
    await store.insertIncident(incident);
    const { db } = openDatabase(scratch.url);
    try {
      const roles = '{"commander":{"id":1}}';
      await sql`update incidents set roles = ${roles}, place = '{' where id = ${incident.id}`.execute(
        db,
      );
    } finally {
      await db.destroy();
    }
    await assert.rejects(store.getIncident(incident.id), (error: Error) => {
      assert.match(error.message, new RegExp(`incident ${incident.id} is corrupt`));
      assert.match(error.message, /roles\.commander\.id.*place: is not valid JSON/);
      return true;
    });
  });
}
