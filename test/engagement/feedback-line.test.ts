import assert from 'node:assert/strict';
import {
  emptyCounts,
  type FeedbackCounts,
  type FeedbackStore,
  type Vote,
} from '../../src/engagement/feedback';
import { FeedbackService } from '../../src/engagement/feedback-service';
import type { IncidentStore } from '../../src/incidents/ports';

const INCIDENT = 'incident-1';
const UPDATE = { id: 'update-1', incidentId: INCIDENT, tenantId: 'tenant-1' };

/** A feedback store in memory that counts how often the summary counts were read. */
function memoryStore() {
  const votes = new Map<string, Vote>();
  const reads = { counts: 0 };
  const store = {
    findUpdate: async (id: string) => (id === UPDATE.id ? UPDATE : undefined),
    saveVote: async (vote: Vote) => void votes.set(vote.voterId, vote),
    getVote: async (_update: string, voter: string) => votes.get(voter),
    countsForIncident: async (): Promise<FeedbackCounts> => {
      reads.counts += 1;
      const counts = emptyCounts();
      for (const vote of votes.values()) {
        counts[vote.choice] += 1;
        counts.total += 1;
      }
      return counts;
    },
  } as unknown as FeedbackStore;
  return { store, votes, reads };
}

function voteBy(voterId: string) {
  return {
    updateId: UPDATE.id,
    tenantId: UPDATE.tenantId,
    voter: { id: voterId, name: voterId },
    choice: 'working' as const,
  };
}

describe('FeedbackService.summaryLine', () => {
  it('reads the counts once for presses in quick succession', async () => {
    const { store, reads } = memoryStore();
    const feedback = new FeedbackService(store, {} as IncidentStore, () => new Date());

    await feedback.summaryLine(INCIDENT);
    await feedback.summaryLine(INCIDENT);

    assert.equal(reads.counts, 1);
  });

  it('shows a vote made through this instance in the very next line', async () => {
    const { store } = memoryStore();
    const feedback = new FeedbackService(store, {} as IncidentStore, () => new Date());
    const before = await feedback.summaryLine(INCIDENT);

    await feedback.vote(voteBy('kim'));

    assert.equal(before, undefined);
    assert.match((await feedback.summaryLine(INCIDENT)) ?? '', /Working for me 1/);
  });

  it('reads again when asked for fresh counts, as the shared card is', async () => {
    const { store, votes } = memoryStore();
    const feedback = new FeedbackService(store, {} as IncidentStore, () => new Date());
    await feedback.summaryLine(INCIDENT);

    // A vote stored by another instance of the bot.
    votes.set('lee', { ...voteBy('lee'), voterId: 'lee' } as unknown as Vote);

    assert.equal(await feedback.summaryLine(INCIDENT), undefined);
    assert.match((await feedback.summaryLine(INCIDENT, { fresh: true })) ?? '', /Working for me 1/);
  });
});
