import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { renderStakeholderCard } from '../../src/cards/update-cards';
import { afterThrottle, backoffMs } from '../../src/comms/send-limits';
import type { StakeholderUpdate } from '../../src/comms/update';
import { SqlCommsStore } from '../../src/store/sql-comms-store';
import { SqlIncidentStore } from '../../src/store/sql-incident-store';
import { outcomeOfError } from '../../src/teams/delivery-sender';
import { cardText } from '../support/bot-harness';
import { makeIncident } from '../store/helpers';

function update(incidentId: string, overrides: Partial<StakeholderUpdate> = {}): StakeholderUpdate {
  return {
    id: randomUUID(),
    incidentId,
    tenantId: 'tenant-a',
    number: 1,
    status: 'investigating',
    affected: 'Mail',
    workaround: '',
    summary: 'Mail is slow.',
    internalNote: 'secret',
    nextUpdateAt: null,
    postedBy: { id: 'a', name: 'Alice' },
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

describe('the stakeholder card', () => {
  it('stays whole and carries a Follow button when it fits', () => {
    const card = renderStakeholderCard(update('i'), makeIncident());
    assert.match(JSON.stringify(card), /"verb":"comms.follow"/);
    assert.doesNotMatch(cardText(card), /shortened/);
  });

  it('is cut below the limit with a link to the status page when it would be too big', () => {
    const long = update('i', { summary: 'x'.repeat(2000), affected: 'y'.repeat(1000) });
    const card = renderStakeholderCard(long, makeIncident(), {
      maxBytes: 3000,
      statusPageUrl: 'https://status.example.org/status',
    });
    assert.ok(Buffer.byteLength(JSON.stringify(card)) <= 3000);
    assert.match(
      JSON.stringify(card),
      /"type":"Action.OpenUrl","title":"Full update","url":"https:\/\/status.example.org\/status"/,
    );
  });

  it('takes extra buttons (feedback) after Follow', () => {
    const extra = { type: 'Action.Submit', title: 'Helpful', data: { verb: 'feedback.vote' } };
    const card = renderStakeholderCard(update('i'), makeIncident(), { extraActions: [extra] });
    assert.deepEqual(
      (card.actions as Array<{ title: string }>).map((a) => a.title),
      ['Follow', 'Helpful'],
    );
  });
});

describe('reading a connector error', () => {
  const restError = (statusCode: number, headers: Record<string, string> = {}, code = 'X') => ({
    statusCode,
    response: {
      headers: { get: (name: string) => headers[name] },
      bodyAsText: JSON.stringify({ error: { code } }),
    },
  });

  it('turns 429 into a wait of Retry-After', () => {
    assert.deepEqual(outcomeOfError(restError(429, { 'retry-after': '2' }, 'Throttled')), {
      kind: 'retry-after',
      ms: 2000,
      status: 429,
      code: 'Throttled',
    });
  });

  it('retries 412 and 5xx and gives up on 403 and 404 with the Teams code', () => {
    assert.deepEqual(
      [412, 502, 503, 504].map((s) => outcomeOfError(restError(s)).kind),
      ['retryable', 'retryable', 'retryable', 'retryable'],
    );
    assert.deepEqual(outcomeOfError(restError(403, {}, 'BotNotInConversationRoster')), {
      kind: 'final',
      status: 403,
      code: 'BotNotInConversationRoster',
    });
  });

  it('retries when no answer came at all', () => {
    assert.equal(
      outcomeOfError(Object.assign(new Error('x'), { code: 'ECONNRESET' })).kind,
      'retryable',
    );
  });
});

describe('backoff', () => {
  it('doubles from the base with jitter and stops at the cap', () => {
    assert.deepEqual(
      [1, 2, 3].map((n) => backoffMs(n, 100, 10_000, () => 1)),
      [100, 200, 400],
    );
    assert.equal(
      backoffMs(30, 100, 1000, () => 0),
      500,
    );
  });
});

describe('afterThrottle', () => {
  it('waits the Retry-After of a first 429, whatever the backoff would be', () => {
    assert.equal(
      afterThrottle(1000, 1, 5000, 60_000, () => 0),
      1000,
    );
    assert.equal(
      afterThrottle(120_000, 1, 1000, 60_000, () => 0),
      120_000,
    );
  });

  it('waits longer each time the same Retry-After comes again, up to the cap', () => {
    // The least jitter leaves half of each backoff step of 2, 4, 8 s and then the 10 s cap.
    const waits = [2, 3, 4, 5, 9].map((n) => afterThrottle(1000, n, 1000, 10_000, () => 0));

    assert.deepEqual(waits, [1000, 2000, 4000, 5000, 5000]);
  });

  it('never waits less than a long Retry-After', () => {
    // Its own jitter (10 %, at most 1 s) on top; the backoff, capped at 10 s, is far below.
    assert.equal(
      afterThrottle(120_000, 6, 1000, 10_000, () => 1),
      121_000,
    );
  });
});

describe('the delivery outbox on SQLite', () => {
  let incidents: SqlIncidentStore;
  let store: SqlCommsStore;
  let incidentId: string;

  before(async () => {
    incidents = await SqlIncidentStore.open('sqlite::memory:');
    store = new SqlCommsStore(incidents.database, incidents.dialect);
    const incident = makeIncident();
    incidentId = incident.id;
    await incidents.insertIncident(incident);
    const recipients = ['a', 'b'].map((name) => ({
      audience: 'email' as const,
      recipientKey: `email:${name}`,
      recipientName: name,
      target: { kind: 'email' as const, address: `${name}@example.org` },
    }));
    await store.insertUpdate(update(incidentId), recipients);
  });

  after(async () => {
    await incidents.close();
  });

  it('hands a due job to one claimer only while its lease runs', async () => {
    const now = new Date();
    const lease = new Date(now.getTime() + 60_000).toISOString();
    const first = await store.claimDue(now.toISOString(), lease, 'w1', 10);
    const second = await store.claimDue(now.toISOString(), lease, 'w2', 10);
    assert.equal(first.length, 2);
    assert.equal(second.length, 0);
  });

  it('gives a job whose lease ran out (a crash mid-send) to the next claimer, fencing the old one', async () => {
    const later = new Date(Date.now() + 120_000);
    const reclaimed = await store.claimDue(
      later.toISOString(),
      new Date(later.getTime() + 60_000).toISOString(),
      'w3',
      10,
    );
    assert.equal(reclaimed.length, 2);
    const old = { ...reclaimed[0], attempts: reclaimed[0].attempts - 1 };
    assert.equal(await store.markSent(old, 'x', later.toISOString()), false);
    assert.equal(await store.markSent(reclaimed[0], 'x', later.toISOString()), true);
  });

  it('counts sent and pending per update for `comms`', async () => {
    const [report] = await store.report(incidentId, 5);
    assert.equal(report.sent, 1);
    assert.equal(report.pending, 1);
  });
});
