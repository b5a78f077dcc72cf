import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DeliveryJob } from '../../src/comms/delivery';
import type { NewDelivery } from '../../src/comms/ports';
import type { StakeholderUpdate } from '../../src/comms/update';
import { SqlCommsStore } from '../../src/store/sql-comms-store';
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
  // Without TEST_DATABASE_URL the PostgreSQL variant shows as pending instead of failing.
  (target.enabled ? describe : describe.skip)(`SqlCommsStore on ${target.dialect}`, () => {
    definePruneTests(target);
    defineSubscriptionTests(target);
  });
}

const LONG_AGO = '2020-01-01T00:00:00.000Z';
const CUTOFF = '2020-02-01T00:00:00.000Z';
const LATER = '2020-03-01T00:00:00.000Z';
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';

function definePruneTests(target: StoreTarget): void {
  let scratch: ScratchDatabase;
  let incidents: SqlIncidentStore;
  let comms: SqlCommsStore;
  let incidentId: string;
  let nextNumber = 1;

  before(async () => {
    scratch = await target.create();
    incidents = await SqlIncidentStore.open(scratch.url);
    comms = new SqlCommsStore(incidents.database, incidents.dialect);
    const incident = makeIncident({ tenantId: uniqueTenant() });
    await incidents.insertIncident(incident);
    incidentId = incident.id;
  });

  after(async () => {
    await incidents?.close();
    await scratch?.drop();
  });

  /** An update written at `createdAt` with `recipients` deliveries, all claimed for sending. */
  async function queueAndClaim(createdAt: string, recipients: number) {
    const update: StakeholderUpdate = {
      id: randomUUID(),
      incidentId,
      tenantId: 'tenant',
      number: nextNumber++,
      status: 'investigating',
      affected: '',
      workaround: '',
      summary: 'Mail is delayed.',
      internalNote: '',
      nextUpdateAt: null,
      postedBy: alice,
      createdAt,
    };
    const deliveries: NewDelivery[] = Array.from({ length: recipients }, (_, i) => ({
      audience: 'email',
      recipientKey: `email:${i}@contoso.example`,
      recipientName: `${i}@contoso.example`,
      target: { kind: 'email', address: `${i}@contoso.example` },
    }));
    await comms.insertUpdate(update, deliveries);
    const now = new Date().toISOString();
    const jobs = await comms.claimDue(now, FAR_FUTURE, 'test', 500);
    assert.equal(jobs.length, recipients, 'no other test leaves a due delivery behind');
    return { update, jobs };
  }

  const sentAt = (jobs: DeliveryJob[], at: string) =>
    Promise.all(jobs.map((job) => comms.markSent(job, 'activity', at)));

  it('prunes every delivery of an update that finished, sent or failed, before the cutoff', async () => {
    const { update, jobs } = await queueAndClaim(LONG_AGO, 3);
    await sentAt(jobs.slice(0, 2), LONG_AGO);
    await comms.markFailed(jobs[2], 'blocked (403)', LONG_AGO);

    const pruned = await comms.pruneDeliveries(CUTOFF, 100);

    assert.equal(pruned, 3);
    assert.deepEqual(await comms.report(incidentId, 100).then(countsOf(update)), [0, 0, 0]);
  });

  it('keeps an old update whole while one of its deliveries is still due', async () => {
    const { update, jobs } = await queueAndClaim(LONG_AGO, 3);
    await sentAt(jobs.slice(0, 2), LONG_AGO);
    // Throttled for good measure: pending, due in the far future, so no other test claims it.
    await comms.reschedule(jobs[2], FAR_FUTURE, 'throttled (429)', LONG_AGO, {
      countAttempt: false,
    });

    assert.equal(await comms.pruneDeliveries(CUTOFF, 100), 0);
    assert.deepEqual(await comms.report(incidentId, 100).then(countsOf(update)), [2, 1, 0]);
  });

  it('keeps an old update whose last delivery finished after the cutoff', async () => {
    const { update, jobs } = await queueAndClaim(LONG_AGO, 2);
    await sentAt(jobs.slice(0, 1), LONG_AGO);
    await comms.markFailed(jobs[1], 'gave up', LATER);

    assert.equal(await comms.pruneDeliveries(CUTOFF, 100), 0);
    assert.deepEqual(await comms.report(incidentId, 100).then(countsOf(update)), [1, 0, 1]);
  });

  it('never touches a recent update, so `comms` reports it in full', async () => {
    const recent = new Date().toISOString();
    const { update, jobs } = await queueAndClaim(recent, 2);
    await sentAt(jobs, recent);
    const cutoff = new Date(Date.now() - 30 * 86_400_000).toISOString();

    await comms.pruneDeliveries(cutoff, 100);

    assert.deepEqual(await comms.report(incidentId, 100).then(countsOf(update)), [2, 0, 0]);
  });

  it('deletes no more rows per call than the limit, and the rest on the next call', async () => {
    const { jobs } = await queueAndClaim(LONG_AGO, 5);
    await sentAt(jobs, LONG_AGO);

    assert.equal(await comms.pruneDeliveries(CUTOFF, 3), 3);
    assert.equal(await comms.pruneDeliveries(CUTOFF, 3), 2);
  });
}

/** [sent, pending, failed] of one update in a `comms` report. */
function countsOf(update: StakeholderUpdate) {
  return (reports: Awaited<ReturnType<SqlCommsStore['report']>>) => {
    const report = reports.find((r) => r.updateId === update.id);
    assert.ok(report, 'the update itself is never pruned');
    return [report.sent, report.pending, report.failed.length];
  };
}

function defineSubscriptionTests(target: StoreTarget): void {
  let scratch: ScratchDatabase;
  let incidents: SqlIncidentStore;
  let comms: SqlCommsStore;

  before(async () => {
    scratch = await target.create();
    incidents = await SqlIncidentStore.open(scratch.url);
    comms = new SqlCommsStore(incidents.database, incidents.dialect);
  });

  after(async () => {
    await incidents?.close();
    await scratch?.drop();
  });

  async function followed(number: number) {
    const incident = makeIncident({ tenantId: uniqueTenant(), number });
    await incidents.insertIncident(incident);
    const subscription = {
      tenantId: incident.tenantId,
      userId: 'aad-follower',
      userName: 'Follower',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      incidentId: incident.id,
    };
    return { incident, subscription };
  }

  it('keeps one subscription per person and incident, saying only the first time it is new', async () => {
    const { incident, subscription } = await followed(1);

    const saved = await Promise.all([
      comms.saveIncidentSubscription(subscription),
      comms.saveIncidentSubscription(subscription),
    ]);

    assert.deepEqual(saved.sort(), [false, true]);
    assert.equal((await comms.listIncidentSubscriptions(incident.id)).length, 1);
  });

  it('keeps the chat it knows when the same person follows again from a channel', async () => {
    const { incident, subscription } = await followed(2);
    await comms.saveIncidentSubscription({ ...subscription, conversationId: 'a:chat' });

    await comms.saveIncidentSubscription({ ...subscription, userName: 'Renamed' });

    const [stored] = await comms.listIncidentSubscriptions(incident.id);
    assert.deepEqual([stored.conversationId, stored.userName], ['a:chat', 'Renamed']);
  });

  it('remembers a chat opened later on incident subscriptions too', async () => {
    const { incident, subscription } = await followed(3);
    await comms.saveIncidentSubscription(subscription);

    await comms.setSubscriberChat(incident.tenantId, subscription.userId, 'a:chat-later');

    const [stored] = await comms.listIncidentSubscriptions(incident.id);
    assert.equal(stored.conversationId, 'a:chat-later');
  });

  it("removes a person's incident subscriptions and names the incidents by number", async () => {
    const { incident, subscription } = await followed(7);
    await comms.saveIncidentSubscription(subscription);

    const removed = await comms.removeIncidentSubscriptions(incident.tenantId, subscription.userId);

    assert.deepEqual(removed, [7]);
    assert.deepEqual(await comms.listIncidentSubscriptions(incident.id), []);
  });
}
