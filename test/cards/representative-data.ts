import { renderDeclareForm, renderNoteForm } from '../../src/cards/dialog-cards';
import { renderHelpCard } from '../../src/cards/help-card';
import { renderDeclaredCard, renderIncidentList } from '../../src/cards/list-card';
import { renderCard } from '../../src/cards/render';
import { renderSummaryCard } from '../../src/cards/summary-card';
import { renderTimelineCard } from '../../src/cards/timeline-card';
import { engagementCardCases } from './engagement-card-cases';
import { healthCardCases } from './health-card-cases';
import { evidenceCardCases } from './evidence-card-cases';
import { securityCardCases } from './security-card-cases';
import {
  renderStakeholderCard,
  renderTechnicalUpdate,
  renderUpdateForm,
} from '../../src/cards/update-cards';
import type { StakeholderUpdate } from '../../src/comms/update';
import {
  TITLE_MAX,
  type Incident,
  type Person,
  type TimelineEntry,
} from '../../src/incidents/incident';

/**
 * Text that looks like template syntax. Users may type it; it must reach the card exactly as
 * typed, never evaluated. (`if(…)` would become "evaluated" if the templating ran it.)
 */
export const TEMPLATE_LOOKALIKES = [
  '${evil}',
  '${$root.incidentId}',
  "${if(true, 'evaluated', 'evaluated')}",
];

/** Markdown a user may type. In a TextBlock or a fact it must arrive escaped, not as written. */
export const USER_MARKDOWN = ['**down**', '[click](https://evil.example.org)'];

/** Text shaped like card JSON: must stay text, never become a button. */
const JSON_LOOKALIKE =
  '"}]}, {"type": "Action.OpenUrl", "title": "Pwned", "url": "https://evil.example.org"}';

const EMOJI = '🔥👩🏽‍💻🇪🇺';

/** A title of exactly TITLE_MAX characters, with everything a user might paste into it. */
const LONG_TITLE = fit(
  `${EMOJI} Exchange ${USER_MARKDOWN[0]} ${TEMPLATE_LOOKALIKES.join(' ')} ${JSON_LOOKALIKE} ` +
    `${USER_MARKDOWN[1]} <b>html</b> `,
  TITLE_MAX,
);

const NOTE_TEXT = fit(
  `Rolled back ${USER_MARKDOWN.join(' ')} ${TEMPLATE_LOOKALIKES.join(' ')} ${JSON_LOOKALIKE}\n` +
    `- item\n# heading <b>html</b> ${EMOJI} `,
  2000,
);

const NOW = new Date('2026-03-10T14:30:00Z');

function person(name: string, id = name.toLowerCase().replace(/\W+/g, '-')): Person {
  return { id, name, teamsId: `29:${id}` };
}

const ANA = person(`Ana *Admin* ${TEMPLATE_LOOKALIKES[0]} ${EMOJI}`, 'ana');
const BEN = person('Ben [Ops](https://evil.example.org) _it_', 'ben');

export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: '6b0c2a1e-3d4f-4e5a-9b8c-7d6e5f4a3b2c',
    tenantId: '11111111-2222-3333-4444-555555555555',
    number: 42,
    title: LONG_TITLE,
    description: NOTE_TEXT,
    severity: 1,
    status: 'investigating',
    roles: {
      commander: ANA,
      comms: { ...BEN, needsTeamMembership: true },
    },
    affectedServices: ['Exchange Online', 'Teams'],
    affectedUsers: 1200,
    impactScope: 'organisation',
    declaredBy: ANA,
    acknowledgedBy: null,
    acknowledgedAt: null,
    latestUpdate: NOTE_TEXT,
    place: {
      mode: 'channel',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      conversationId: '19:abc@thread.tacv2',
      channelId: '19:abc@thread.tacv2',
      webUrl: 'https://teams.microsoft.com/l/channel/19%3Aabc%40thread.tacv2/INC-0042',
    },
    createdAt: '2026-03-10T09:05:00Z',
    updatedAt: '2026-03-10T14:25:00Z',
    version: 7,
    ...overrides,
  };
}

function timelineEntries(count: number): TimelineEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `entry-${i}`,
    incidentId: makeIncident().id,
    at: new Date(NOW.getTime() - i * 60_000).toISOString(),
    actor: i % 2 === 0 ? ANA : BEN,
    kind: 'note' as const,
    text: NOTE_TEXT,
  }));
}

function manyIncidents(count: number): Incident[] {
  return Array.from({ length: count }, (_, i) =>
    makeIncident({ number: 1000 - i, severity: ((i % 4) + 1) as Incident['severity'] }),
  );
}

export interface CardCase {
  /** Says which situation the data stands for. */
  name: string;
  render: () => Record<string, unknown>;
}

/**
 * Representative data for every template in cards/, built through the real data builders. A new
 * template needs an entry here, or the card tests fail. Worst cases use the largest inputs the
 * bot allows: 200-character titles, 2000-character notes, 10 timeline entries, 20 incidents.
 */
export const CARD_CASES: Record<string, CardCase[]> = {
  ...securityCardCases({ makeIncident, lookalikes: TEMPLATE_LOOKALIKES, markdown: USER_MARKDOWN }),
  ...evidenceCardCases({ makeIncident, lookalikes: TEMPLATE_LOOKALIKES, markdown: USER_MARKDOWN }),
  ...engagementCardCases({
    makeIncident,
    lookalikes: TEMPLATE_LOOKALIKES,
    markdown: USER_MARKDOWN,
  }),
  ...healthCardCases({ makeIncident, lookalikes: TEMPLATE_LOOKALIKES, markdown: USER_MARKDOWN }),
  'incident-summary': [
    {
      name: 'a new SEV1 with roles, a latest update and a time zone',
      render: () => renderSummaryCard(makeIncident(), { now: NOW, timeZone: 'Europe/Berlin' }),
    },
    {
      name: 'an acknowledged SEV3 in thread mode after a channel failure',
      render: () =>
        renderSummaryCard(
          makeIncident({
            severity: 3,
            status: 'monitoring',
            acknowledgedBy: BEN,
            acknowledgedAt: '2026-03-10T09:10:00Z',
            place: {
              mode: 'thread',
              serviceUrl: 'https://smba.trafficmanager.net/emea/',
              conversationId: '19:general@thread.tacv2;messageid=1',
              fallbackReason: 'the bot may not create channels in the incident team',
            },
          }),
          { now: NOW, lastChangeBy: BEN.name },
        ),
    },
    {
      name: 'a resolved incident that can reopen or close',
      render: () =>
        renderSummaryCard(makeIncident({ status: 'resolved', roles: {}, latestUpdate: null }), {
          now: NOW,
        }),
    },
    {
      name: 'a closed incident without buttons',
      render: () => renderSummaryCard(makeIncident({ status: 'closed' }), { now: NOW }),
    },
  ],
  timeline: [
    {
      name: 'a full middle page of long notes',
      render: () =>
        renderTimelineCard(
          makeIncident(),
          { entries: timelineEntries(10), total: 35, page: 2, pages: 4 },
          'America/New_York',
        ),
    },
    {
      name: 'an empty timeline',
      render: () =>
        renderTimelineCard(makeIncident(), { entries: [], total: 0, page: 1, pages: 1 }),
    },
  ],
  help: [
    { name: 'the command list', render: () => renderHelpCard() },
    { name: 'after an unknown command', render: () => renderHelpCard('${evil}') },
  ],
  'incident-list': [
    { name: 'twenty open incidents', render: () => renderIncidentList(manyIncidents(20)) },
    { name: 'no open incidents', render: () => renderIncidentList([]) },
  ],
  declared: [
    { name: 'a channel with a link', render: () => renderDeclaredCard(makeIncident()) },
    {
      name: 'with a line about a Defender link that failed',
      render: () =>
        renderDeclaredCard(
          makeIncident(),
          'Not linked to Defender incident 42: Defender has no incident with that id. Retry with “security link ‹id›” in its war room.',
        ),
    },
    {
      name: 'a chat without a link',
      render: () =>
        renderDeclaredCard(
          makeIncident({
            place: { mode: 'chat', serviceUrl: 'https://example.org/', conversationId: '19:x' },
          }),
        ),
    },
  ],
  'declare-form': [
    { name: 'an empty form', render: () => renderDeclareForm() },
    {
      name: 'a form handed back with a problem and user text',
      render: () =>
        renderDeclareForm({
          title: LONG_TITLE,
          description: NOTE_TEXT,
          severity: 2,
          affectedServices: `Exchange, ${TEMPLATE_LOOKALIKES[1]}`,
          carried: JSON.stringify({ source: TEMPLATE_LOOKALIKES[0] }),
          problem: 'A title is at most 200 characters.',
        }),
    },
  ],
  'note-form': [
    {
      name: 'twenty open incidents and a long note from a message',
      render: () => renderNoteForm(manyIncidents(20), NOTE_TEXT),
    },
    {
      name: 'a form handed back with a problem',
      render: () => renderNoteForm(manyIncidents(1), '', 'The entry needs some text.'),
    },
  ],
  'declare-prompt': [
    {
      name: 'the prompt for a form',
      render: () => renderCard('declare-prompt', { severity: '2' }),
    },
  ],
  'stakeholder-update': [
    {
      name: 'a full update with the longest texts',
      render: () => renderStakeholderCard(makeUpdate(), makeIncident()),
    },
    {
      name: 'an update shortened to fit, with a status page link',
      render: () =>
        // Plain long text: a template look-alike cut in half would read as a leftover expression.
        renderStakeholderCard(
          makeUpdate({ affected: fit(`Mail ${EMOJI} `, 1000), summary: fit(`Slow mail `, 2000) }),
          makeIncident(),
          {
            maxBytes: 4000,
            statusPageUrl: 'https://status.example.org/status',
          },
        ),
    },
  ],
  'technical-update': [
    {
      name: 'an update with an internal note',
      render: () => renderTechnicalUpdate(makeUpdate(), makeIncident()),
    },
    {
      name: 'a last update with nothing optional',
      render: () =>
        renderTechnicalUpdate(
          makeUpdate({ affected: '', workaround: '', internalNote: '', nextUpdateAt: null }),
          makeIncident({ affectedServices: [] }),
        ),
    },
  ],
  'update-form': [
    { name: 'a fresh form for a SEV1', render: () => renderUpdateForm(makeIncident()) },
    {
      name: 'a form handed back with a problem and user text',
      render: () =>
        renderUpdateForm(makeIncident({ status: 'resolved' }), {
          summary: NOTE_TEXT,
          affected: fit(`${TEMPLATE_LOOKALIKES.join(' ')} ${EMOJI} `, 1000),
          workaround: USER_MARKDOWN.join(' '),
          problem: 'An update is at most 2000 characters; this one has 2001.',
        }),
    },
  ],
};

/** A stakeholder update with every field at its limit and full of what users paste. */
function makeUpdate(overrides: Partial<StakeholderUpdate> = {}): StakeholderUpdate {
  return {
    id: 'upd-1',
    incidentId: makeIncident().id,
    tenantId: makeIncident().tenantId,
    number: 3,
    status: 'identified',
    affected: fit(`Exchange ${USER_MARKDOWN.join(' ')} ${TEMPLATE_LOOKALIKES.join(' ')} `, 1000),
    workaround: fit(`Use OWA ${JSON_LOOKALIKE} ${EMOJI} `, 1000),
    summary: NOTE_TEXT,
    internalNote: fit(`Internal ${TEMPLATE_LOOKALIKES[1]} `, 1000),
    nextUpdateAt: '2026-03-10T15:00:00Z',
    postedBy: ANA,
    createdAt: NOW.toISOString(),
    ...overrides,
  };
}

/** Cuts `seed` repeated to `length` UTF-16 units, never inside a surrogate pair. */
function fit(seed: string, length: number): string {
  let text = seed;
  while (text.length < length) text += seed;
  const cut = text.slice(0, length);
  return /[\uD800-\uDBFF]$/.test(cut) ? `${cut.slice(0, -1)}.` : cut;
}
