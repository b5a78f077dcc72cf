/** The four answers a stakeholder can give on an update, in the order the buttons show. */
export const FEEDBACK_CHOICES = ['still-affected', 'working', 'helpful', 'not-helpful'] as const;
export type FeedbackChoice = (typeof FEEDBACK_CHOICES)[number];

export const CHOICE_LABELS: Record<FeedbackChoice, string> = {
  'still-affected': 'Still affected',
  working: 'Working for me',
  helpful: 'Helpful',
  'not-helpful': 'Not helpful',
};

/** Longest optional comment; long enough for a sentence or two, short enough for a card. */
export const COMMENT_MAX = 500;

/** One person's standing answer to one update; a later press replaces it. */
export interface Vote {
  updateId: string;
  incidentId: string;
  tenantId: string;
  voterId: string;
  choice: FeedbackChoice;
  comment: string;
  createdAt: string;
  updatedAt: string;
}

export type FeedbackCounts = Record<FeedbackChoice, number> & { total: number };

export interface FeedbackComment {
  updateNumber: number;
  choice: FeedbackChoice;
  comment: string;
  at: string;
}

/** The facts of an update a vote needs, read from the store (never from the card). */
export interface VotedUpdate {
  id: string;
  incidentId: string;
  tenantId: string;
  number: number;
}

/** Persistence of votes; implemented in src/store/sql-feedback-store.ts. */
export interface FeedbackStore {
  findUpdate(updateId: string): Promise<VotedUpdate | undefined>;
  /** Inserts the vote, or replaces the voter's earlier one on the same update. */
  saveVote(vote: Vote): Promise<void>;
  getVote(updateId: string, voterId: string): Promise<Vote | undefined>;
  countsForIncident(incidentId: string): Promise<FeedbackCounts>;
  /** Newest first, only votes that carry a comment. */
  latestComments(incidentId: string, limit: number): Promise<FeedbackComment[]>;
  /** Incidents with votes last changed in [from, to), and how many. */
  votesBetween(from: string, to: string): Promise<Array<{ incidentId: string; votes: number }>>;
}

export function isFeedbackChoice(value: unknown): value is FeedbackChoice {
  return (FEEDBACK_CHOICES as readonly unknown[]).includes(value);
}

export function emptyCounts(): FeedbackCounts {
  return { 'still-affected': 0, working: 0, helpful: 0, 'not-helpful': 0, total: 0 };
}

/** `Still affected 2 · Working for me 1 · Helpful 0 · Not helpful 0` */
export function formatCounts(counts: FeedbackCounts): string {
  return FEEDBACK_CHOICES.map((choice) => `${CHOICE_LABELS[choice]} ${counts[choice]}`).join(' · ');
}
