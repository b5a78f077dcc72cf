import { CHOICE_LABELS, FEEDBACK_CHOICES, type FeedbackChoice } from '../engagement/feedback';
import type { FeedbackSummary } from '../engagement/feedback-service';
import { formatIncidentNumber, type Incident } from '../incidents/incident';
import { renderCard } from './render';
import { formatAge, ReaderClock } from './time-format';

/** The voter's own answer, to show on the card rendered for them; none for the shared post. */
export interface VoterView {
  choice: FeedbackChoice;
  comment: string;
}

/** The feedback buttons and comment box of one stakeholder update, as card body elements. */
export function renderFeedbackSection(updateId: string, mine?: VoterView): unknown[] {
  const card = renderCard('feedback-section', {
    updateId,
    hasVote: mine !== undefined,
    myChoice: mine ? CHOICE_LABELS[mine.choice] : '',
    myComment: mine?.comment ?? '',
    choices: FEEDBACK_CHOICES.map((choice) => ({
      choice,
      // The pressed answer is marked so the voter sees which one counts.
      title: mine?.choice === choice ? `✓ ${CHOICE_LABELS[choice]}` : CHOICE_LABELS[choice],
    })),
  });
  return card.body as unknown[];
}

/**
 * A stakeholder card with the feedback section appended. Appended rather than templated into
 * the comms card, so the comms template can change without breaking the buttons.
 */
export function withFeedback(
  card: Record<string, unknown>,
  updateId: string,
  mine?: VoterView,
): Record<string, unknown> {
  const body = Array.isArray(card.body) ? card.body : [];
  return { ...card, body: [...body, ...renderFeedbackSection(updateId, mine)] };
}

/** The `feedback` command's answer: counts and the latest comments, in the reader's zone. */
export function renderFeedbackSummary(
  incident: Incident,
  summary: FeedbackSummary,
  timeZone?: string | null,
) {
  const clock = new ReaderClock(timeZone);
  return renderCard('feedback-summary', {
    number: formatIncidentNumber(incident.number),
    title: incident.title,
    empty: summary.counts.total === 0,
    counts: FEEDBACK_CHOICES.map((choice) => ({
      label: CHOICE_LABELS[choice],
      count: String(summary.counts[choice]),
    })),
    total: String(summary.counts.total),
    hasComments: summary.comments.length > 0,
    // Comments go into RichTextBlock runs: shown as typed, never parsed as markdown.
    comments: summary.comments.map((comment) => ({
      heading: `Update ${comment.updateNumber} · ${CHOICE_LABELS[comment.choice]} · ${clock.time(comment.at)} (${clock.zone})`,
      comment: comment.comment,
    })),
  });
}

/** The card under a cadence reminder, with the button that opens the comms update dialog. */
export function renderCadenceReminder(
  incident: Incident,
  due: string,
  intervalMinutes: number,
  now: Date,
) {
  const late = now.getTime() - Date.parse(due);
  return renderCard('cadence-reminder', {
    incidentId: incident.id,
    number: formatIncidentNumber(incident.number),
    severity: `SEV${incident.severity}`,
    title: incident.title,
    dueText: late > 60_000 ? `Due ${formatAge(due, now)} ago.` : 'Due now.',
    interval: formatAge(new Date(0).toISOString(), new Date(intervalMinutes * 60_000)),
  });
}
