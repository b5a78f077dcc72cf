import type { Kysely } from 'kysely';
import {
  emptyCounts,
  isFeedbackChoice,
  type FeedbackComment,
  type FeedbackCounts,
  type FeedbackStore,
  type Vote,
  type VotedUpdate,
} from '../engagement/feedback';
import type { Database } from './database';
import type { FeedbackVotesTable } from './engagement-tables';
import { executeReusable } from './reusable-query';

/** Votes over the process's one Kysely instance (see SqlIncidentStore.database). */
export class SqlFeedbackStore implements FeedbackStore {
  constructor(private readonly db: Kysely<Database>) {}

  async findUpdate(updateId: string): Promise<VotedUpdate | undefined> {
    const row = await this.db
      .selectFrom('comms_updates')
      .select(['id', 'incident_id', 'tenant_id', 'number'])
      .where('id', '=', updateId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      incidentId: row.incident_id,
      tenantId: row.tenant_id,
      number: Number(row.number),
    };
  }

  async saveVote(vote: Vote): Promise<void> {
    // One statement: two presses racing (two instances) leave exactly one row, the later one.
    await this.db
      .insertInto('feedback_votes')
      .values(toRow(vote))
      .onConflict((conflict) =>
        conflict.columns(['update_id', 'voter_id']).doUpdateSet({
          choice: vote.choice,
          comment: vote.comment,
          updated_at: vote.updatedAt,
        }),
      )
      .execute();
  }

  async getVote(updateId: string, voterId: string): Promise<Vote | undefined> {
    const row = await this.db
      .selectFrom('feedback_votes')
      .selectAll()
      .where('update_id', '=', updateId)
      .where('voter_id', '=', voterId)
      .executeTakeFirst();
    return row && toVote(row);
  }

  async countsForIncident(incidentId: string): Promise<FeedbackCounts> {
    // Read on every button press (the summary card shows the counts): compiled once.
    const { rows } = await executeReusable(this.db, 'feedback-counts', [incidentId], ([id]) =>
      this.db
        .selectFrom('feedback_votes')
        .select((eb) => ['choice', eb.fn.countAll().as('count')])
        .where('incident_id', '=', id)
        .groupBy('choice'),
    );
    const counts = emptyCounts();
    for (const row of rows) {
      if (!isFeedbackChoice(row.choice)) continue;
      // PostgreSQL returns count(*) as a bigint string.
      counts[row.choice] = Number(row.count);
      counts.total += Number(row.count);
    }
    return counts;
  }

  async latestComments(incidentId: string, limit: number): Promise<FeedbackComment[]> {
    const rows = await this.db
      .selectFrom('feedback_votes')
      .innerJoin('comms_updates', 'comms_updates.id', 'feedback_votes.update_id')
      .select([
        'comms_updates.number as number',
        'feedback_votes.choice as choice',
        'feedback_votes.comment as comment',
        'feedback_votes.updated_at as at',
      ])
      .where('feedback_votes.incident_id', '=', incidentId)
      .where('feedback_votes.comment', '!=', '')
      .orderBy('feedback_votes.updated_at', 'desc')
      .limit(limit)
      .execute();
    return rows
      .filter((row) => isFeedbackChoice(row.choice))
      .map((row) => ({
        updateNumber: Number(row.number),
        choice: row.choice as FeedbackComment['choice'],
        comment: row.comment,
        at: row.at,
      }));
  }

  async votesBetween(
    from: string,
    to: string,
  ): Promise<Array<{ incidentId: string; votes: number }>> {
    const rows = await this.db
      .selectFrom('feedback_votes')
      .select((eb) => ['incident_id', eb.fn.countAll().as('votes')])
      .where('updated_at', '>=', from)
      .where('updated_at', '<', to)
      .groupBy('incident_id')
      .execute();
    return rows.map((row) => ({ incidentId: row.incident_id, votes: Number(row.votes) }));
  }
}

function toRow(vote: Vote): FeedbackVotesTable {
  return {
    update_id: vote.updateId,
    incident_id: vote.incidentId,
    tenant_id: vote.tenantId,
    voter_id: vote.voterId,
    choice: vote.choice,
    comment: vote.comment,
    created_at: vote.createdAt,
    updated_at: vote.updatedAt,
  };
}

function toVote(row: FeedbackVotesTable): Vote | undefined {
  if (!isFeedbackChoice(row.choice)) return undefined;
  return {
    updateId: row.update_id,
    incidentId: row.incident_id,
    tenantId: row.tenant_id,
    voterId: row.voter_id,
    choice: row.choice,
    comment: row.comment,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
