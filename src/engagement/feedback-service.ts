import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { InputError, NotFoundError } from '../errors';
import type { Person } from '../incidents/incident';
import type { IncidentStore } from '../incidents/ports';
import {
  COMMENT_MAX,
  formatCounts,
  type FeedbackChoice,
  type FeedbackComment,
  type FeedbackCounts,
  type FeedbackStore,
  type Vote,
  type VotedUpdate,
} from './feedback';

/** The author of entries the bot writes by itself (the daily digest). */
export const BOT_ACTOR: Person = { id: 'incident-bot', name: 'Incident Bot' };

/** How many past UTC days a digest run looks at, so a few days of downtime lose no digest. */
const DIGEST_LOOKBACK_DAYS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface VoteInput {
  /** The presser's tenant, from the activity; the update must belong to it. */
  tenantId: string;
  voter: Person;
  updateId: string;
  choice: FeedbackChoice;
  comment?: string;
}

export interface FeedbackSummary {
  counts: FeedbackCounts;
  comments: FeedbackComment[];
}

/**
 * Votes on stakeholder updates and their daily digest in the timeline.
 *
 * The digest: the timeline is append-only, and a line per vote would drown it, so once a UTC
 * day is over the scheduler appends one entry per incident that got votes that day (how many,
 * and the standing totals). Each (incident, day) is claimed in the same transaction as its
 * entry, so several instances or a rerun write it once. Today's votes show in `feedback` and on
 * the summary card at once; the timeline gets them after midnight UTC.
 */
/** How long a feedback line read for one button press's answer serves the next ones. */
const LINE_REUSE_MS = 5000;

export class FeedbackService {
  /** Lines by incident; the cache's clock is real elapsed time, not the injectable one. */
  private readonly recentLines = new LRUCache<string, { line: string | undefined }>({
    max: 1000,
    ttl: LINE_REUSE_MS,
  });

  constructor(
    private readonly store: FeedbackStore,
    private readonly incidents: IncidentStore,
    private readonly clock: () => Date,
  ) {}

  /** Records the vote (replacing the voter's earlier one) and returns what the voter now sees. */
  async vote(input: VoteInput): Promise<{ update: VotedUpdate; vote: Vote }> {
    const comment = (input.comment ?? '').trim();
    if (comment.length > COMMENT_MAX) {
      throw new InputError(
        `A comment is at most ${COMMENT_MAX} characters; this one has ${comment.length}.`,
      );
    }

    const update = await this.store.findUpdate(input.updateId);
    // Card data is the user's to forge: another tenant's update is treated as missing.
    if (!update || update.tenantId !== input.tenantId) {
      throw new NotFoundError('That update does not exist.');
    }

    const now = this.clock().toISOString();
    const earlier = await this.store.getVote(update.id, input.voter.id);
    const vote: Vote = {
      updateId: update.id,
      incidentId: update.incidentId,
      tenantId: update.tenantId,
      voterId: input.voter.id,
      choice: input.choice,
      comment,
      createdAt: earlier?.createdAt ?? now,
      updatedAt: now,
    };
    await this.store.saveVote(vote);
    this.recentLines.delete(update.incidentId);
    return { update, vote };
  }

  myVote(updateId: string, voterId: string): Promise<Vote | undefined> {
    return this.store.getVote(updateId, voterId);
  }

  async summary(incidentId: string, commentLimit = 5): Promise<FeedbackSummary> {
    const [counts, comments] = await Promise.all([
      this.store.countsForIncident(incidentId),
      this.store.latestComments(incidentId, commentLimit),
    ]);
    return { counts, comments };
  }

  /**
   * A line for the summary card, or undefined before anyone answered. Unless `fresh`, a line read
   * less than LINE_REUSE_MS ago is used again: every button press answers with the card, and the
   * count query was a seventh of a press (npm run bench). A vote through this instance clears
   * its incident's line at once; one through another instance shows within LINE_REUSE_MS in the
   * presser's answer, and at once on the shared card, which is rendered with `fresh`.
   */
  async summaryLine(incidentId: string, options: { fresh?: boolean } = {}) {
    const known = options.fresh ? undefined : this.recentLines.get(incidentId);
    if (known) return known.line;

    const counts = await this.store.countsForIncident(incidentId);
    const line = counts.total > 0 ? formatCounts(counts) : undefined;
    this.recentLines.set(incidentId, { line });
    return line;
  }

  /** Appends the digest of each finished UTC day not yet digested; returns how many it wrote. */
  async writeDigests(): Promise<number> {
    const today = startOfUtcDay(this.clock());
    let written = 0;
    for (let back = DIGEST_LOOKBACK_DAYS; back >= 1; back--) {
      const from = new Date(today.getTime() - back * DAY_MS);
      const to = new Date(from.getTime() + DAY_MS);
      const day = from.toISOString().slice(0, 10);
      for (const { incidentId, votes } of await this.store.votesBetween(
        from.toISOString(),
        to.toISOString(),
      )) {
        if (await this.writeDigest(incidentId, day, votes, to.toISOString())) written += 1;
      }
    }
    return written;
  }

  private async writeDigest(incidentId: string, day: string, votes: number, at: string) {
    const counts = await this.store.countsForIncident(incidentId);
    const text =
      `Stakeholder feedback on ${day} (UTC): ${votes} ${votes === 1 ? 'vote' : 'votes'}. ` +
      `Totals so far: ${formatCounts(counts)}.`;
    return this.incidents.transaction(async (tx) => {
      if (!(await tx.claim(`feedback-digest:${incidentId}:${day}`))) return false;
      // Stamped at the end of the day it sums up, so it sorts with that day in the timeline.
      await tx.appendTimeline({
        id: randomUUID(),
        incidentId,
        at: new Date(Date.parse(at) - 1000).toISOString(),
        actor: BOT_ACTOR,
        kind: 'feedback',
        text,
      });
      return true;
    });
  }
}

function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}
