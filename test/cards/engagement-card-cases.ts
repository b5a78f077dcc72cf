import {
  renderCadenceReminder,
  renderFeedbackSummary,
  withFeedback,
} from '../../src/cards/engagement-cards';
import { renderCard } from '../../src/cards/render';
import { emptyCounts } from '../../src/engagement/feedback';
import type { Incident } from '../../src/incidents/incident';

interface Hostile {
  makeIncident: (overrides?: Partial<Incident>) => Incident;
  /** Template syntax and markdown: stakeholders' comments are as untrusted as anything typed. */
  lookalikes: string[];
  markdown: string[];
}

interface CardCase {
  name: string;
  render: () => Record<string, unknown>;
}

const NOW = new Date('2026-03-10T14:30:00Z');

/** Cases for the feedback and cadence templates, at the sizes the builders allow. */
export function engagementCardCases({ makeIncident, lookalikes, markdown }: Hostile) {
  const hostile = `${markdown.join(' ')} ${lookalikes.join(' ')} & 🔥`;
  const comment = (hostile + ' ').repeat(20).slice(0, 500);
  const bare = renderCard('feedback-section', { updateId: 'upd-1', choices: [] });

  const cases: Record<string, CardCase[]> = {
    'feedback-section': [
      {
        name: 'the buttons on a stakeholder card nobody answered yet',
        render: () => withFeedback({ ...bare, body: [] }, 'upd-1'),
      },
      {
        name: 'the card for a voter who said working, with the longest comment',
        render: () => withFeedback({ ...bare, body: [] }, 'upd-1', { choice: 'working', comment }),
      },
    ],
    'feedback-summary': [
      {
        name: 'no feedback yet',
        render: () =>
          renderFeedbackSummary(makeIncident(), { counts: emptyCounts(), comments: [] }),
      },
      {
        name: 'counts and five long hostile comments in a time zone',
        render: () =>
          renderFeedbackSummary(
            makeIncident(),
            {
              counts: {
                'still-affected': 12,
                working: 40,
                helpful: 7,
                'not-helpful': 3,
                total: 62,
              },
              comments: Array.from({ length: 5 }, (_, i) => ({
                updateNumber: i + 1,
                choice: 'still-affected' as const,
                comment,
                at: NOW.toISOString(),
              })),
            },
            'Europe/Berlin',
          ),
      },
    ],
    'cadence-reminder': [
      {
        name: 'a SEV1 update 3 hours overdue',
        render: () =>
          renderCadenceReminder(
            makeIncident(),
            new Date(NOW.getTime() - 3 * 3_600_000).toISOString(),
            30,
            NOW,
          ),
      },
      {
        name: 'a SEV3 update due now',
        render: () =>
          renderCadenceReminder(makeIncident({ severity: 3 }), NOW.toISOString(), 240, NOW),
      },
    ],
  };
  return cases;
}
