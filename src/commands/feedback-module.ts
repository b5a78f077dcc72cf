import { z } from 'zod';
import { renderFeedbackSummary, withFeedback, type VoterView } from '../cards/engagement-cards';
import type { CardAnswer, CommandModule } from './command-module';
import type { CommandLine } from './command-parser';
import type { CommandDeps } from './deps';
import { incidentForText } from './incident-change';
import { syncSummaryFeedback } from './summary-sync';
import type { Reply, TurnInfo } from './turn';
import { InputError } from '../errors';
import { COMMENT_MAX, FEEDBACK_CHOICES, type Vote } from '../engagement/feedback';
import type { FeedbackService } from '../engagement/feedback-service';

/** The comms stakeholder card of an update (without feedback), or undefined if unknown. */
export type StakeholderCardSource = (
  updateId: string,
) => Promise<Record<string, unknown> | undefined>;

export interface FeedbackModuleOptions {
  deps: CommandDeps;
  feedback: FeedbackService;
  stakeholderCard: StakeholderCardSource;
}

/** What a feedback button sends: its own data and the comment box, all untrusted. */
const VoteDataSchema = z.object({
  updateId: z.string().min(1).max(64),
  choice: z.enum(FEEDBACK_CHOICES, 'This button sent an answer the bot does not know.'),
  comment: z
    .string()
    .max(COMMENT_MAX, `A comment is at most ${COMMENT_MAX} characters.`)
    .optional(),
});

/** `feedback` and the buttons under every stakeholder update. */
export class FeedbackModule implements CommandModule {
  readonly words = ['feedback'] as const;
  readonly verbs = ['feedback.vote'] as const;
  readonly help = [
    {
      usage: 'feedback',
      description:
        'What stakeholders answered on this incident’s updates, and their latest comments.',
    },
  ];

  constructor(private readonly options: FeedbackModuleOptions) {}

  async onText(turn: TurnInfo, line: CommandLine): Promise<Reply> {
    const { deps, feedback } = this.options;
    const incident = await incidentForText(deps, turn, line.incidentNumber);
    const summary = await feedback.summary(incident.id);
    return { card: renderFeedbackSummary(incident, summary, turn.timeZone) };
  }

  async onCardAction(
    turn: TurnInfo,
    _verb: string,
    data: Record<string, unknown>,
  ): Promise<CardAnswer> {
    const parsed = VoteDataSchema.safeParse(data);
    if (!parsed.success) {
      throw new InputError(parsed.error.issues[0]?.message ?? 'This button sent incomplete data.');
    }

    const { update, vote } = await this.options.feedback.vote({
      tenantId: turn.tenantId,
      voter: turn.actor,
      updateId: parsed.data.updateId,
      choice: parsed.data.choice,
      comment: parsed.data.comment,
    });
    this.options.deps.logger.info(
      { activityId: turn.activityId, tenantId: turn.tenantId, incidentId: update.incidentId },
      'feedback recorded',
    );

    this.refreshSummary(update.incidentId);
    return { card: await this.cardFor(update.id, update.number, vote) };
  }

  /** The stakeholder card as this voter sees it: their answer marked, the rest unchanged. */
  private async cardFor(updateId: string, updateNumber: number, vote: Vote) {
    const mine: VoterView = { choice: vote.choice, comment: vote.comment };
    const card = (await this.options.stakeholderCard(updateId)) ?? fallbackCard(updateNumber);
    return withFeedback(card, updateId, mine);
  }

  /** Puts the new counts on the posted summary card; after the answer, failures only logged. */
  private refreshSummary(incidentId: string): void {
    const { deps } = this.options;
    void (async () => {
      const incident = await deps.incidents.get(incidentId);
      if (!incident.place?.summaryActivityId) return;
      // A vote is not a change to the incident: "Last change by" keeps naming who changed it.
      const { entries } = await deps.incidents.timeline(incident.id, 1, 10);
      const lastChange = entries.find((entry) => entry.kind !== 'feedback');
      syncSummaryFeedback(deps, incident, lastChange?.actor.name);
    })().catch((error: unknown) =>
      deps.logger.warn({ err: error, incidentId }, 'summary card feedback update failed'),
    );
  }
}

/** Used only if the comms card cannot be rendered: the buttons still answer with something. */
function fallbackCard(updateNumber: number): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'TextBlock', text: `Update ${updateNumber}`, weight: 'Bolder', wrap: true }],
  };
}
