import { encode } from 'html-entities';
import type { StakeholderUpdate } from '../comms/update';
import { NEXT_UPDATE_MINUTES } from '../comms/update';
import {
  allowedNextStatuses,
  formatIncidentNumber,
  type Incident,
  type Status,
} from '../incidents/incident';
import { escapeMarkdown } from './markdown';
import { renderCard } from './render';
import { STATUS_LABELS } from './summary-card';
import { ReaderClock } from './time-format';
import { cutText } from './text';

/** Teams refuses messages above about 100 KB; its docs advise staying at or under 80 KB. */
export const CARD_BYTES_MAX = 80 * 1024;

const WHAT_NEXT: Record<Status, string> = {
  investigating: 'We are finding the cause and will share what we learn.',
  identified: 'We know the cause and are working on a fix.',
  monitoring: 'A fix is in place; we are watching that it holds.',
  resolved: 'The issue is resolved. Tell your helpdesk if you still see problems.',
  closed: 'The issue is resolved and closed.',
};

export interface StakeholderCardOptions {
  /** Where the whole update can be read when the card had to be shortened (STATUS_PAGE_URL). */
  statusPageUrl?: string;
  maxBytes?: number;
  /**
   * Buttons after "Follow" (feedback buttons go here). Each is an Adaptive Card action object;
   * Action.Execute ones need an Action.Submit fallback with the same verb and data.
   */
  extraActions?: object[];
}

/**
 * The plain-language post for stakeholders: impact, workaround, what happens next and when the
 * next update comes. It never shows the internal note. Too big for Teams: the longest texts are
 * cut and the card says so, with a link to the status page when there is one.
 */
export function renderStakeholderCard(
  update: StakeholderUpdate,
  incident: Incident,
  options: StakeholderCardOptions = {},
): Record<string, unknown> {
  const maxBytes = options.maxBytes ?? CARD_BYTES_MAX;
  const texts = {
    summary: update.summary,
    impact: impactOf(update, incident),
    workaround: update.workaround || 'None yet.',
  };
  let shortened = false;
  for (let round = 0; round < 8; round++) {
    const card = expandStakeholder(update, incident, texts, shortened, options);
    const over = Buffer.byteLength(JSON.stringify(card)) - maxBytes;
    if (over <= 0) return card;
    shortened = true;
    const longest = (Object.keys(texts) as Array<keyof typeof texts>).sort(
      (a, b) => texts[b].length - texts[a].length,
    )[0];
    texts[longest] = cutText(texts[longest], Math.max(0, texts[longest].length - over - 200));
  }
  return expandStakeholder(
    update,
    incident,
    { summary: '', impact: '', workaround: '' },
    true,
    options,
  );
}

function expandStakeholder(
  update: StakeholderUpdate,
  incident: Incident,
  texts: { summary: string; impact: string; workaround: string },
  shortened: boolean,
  options: StakeholderCardOptions,
) {
  const card = renderCard('stakeholder-update', {
    incidentId: incident.id,
    number: formatIncidentNumber(incident.number),
    updateNumber: update.number,
    statusLabel: STATUS_LABELS[update.status],
    headerStyle: update.status === 'resolved' || update.status === 'closed' ? 'good' : 'attention',
    title: incident.title,
    ...texts,
    whatNext: WHAT_NEXT[update.status],
    nextUpdate: nextUpdateText(update),
    shortened,
    moreAt: options.statusPageUrl
      ? 'The full text is on the status page.'
      : 'Ask the incident team for the full text.',
    hasFullLink: shortened && Boolean(options.statusPageUrl),
    fullLink: options.statusPageUrl ?? '',
    postedAt: `${new ReaderClock().time(update.createdAt)} UTC`,
  });
  if (options.extraActions?.length) {
    card.actions = [...((card.actions as object[] | undefined) ?? []), ...options.extraActions];
  }
  return card;
}

/** The post in the incident channel: every field, who posted it, and the internal note. */
export function renderTechnicalUpdate(update: StakeholderUpdate, incident: Incident) {
  return renderCard('technical-update', {
    number: formatIncidentNumber(incident.number),
    updateNumber: update.number,
    statusLabel: STATUS_LABELS[update.status],
    summary: update.summary,
    affected: escapeMarkdown(impactOf(update, incident)),
    workaround: escapeMarkdown(update.workaround || 'None yet.'),
    nextUpdate: nextUpdateText(update),
    postedBy: escapeMarkdown(update.postedBy.name),
    hasInternalNote: update.internalNote.length > 0,
    internalNote: update.internalNote,
  });
}

export interface UpdateFormValues {
  summary?: string;
  affected?: string;
  workaround?: string;
  internalNote?: string;
  status?: Status;
  nextUpdateMinutes?: number;
  problem?: string;
}

/** The "Post update" dialog, prefilled from the incident. */
export function renderUpdateForm(incident: Incident, values: UpdateFormValues = {}) {
  const statuses = [incident.status, ...allowedNextStatuses(incident.status)].filter(
    (status) => status !== 'closed',
  );
  return renderCard('update-form', {
    incidentId: incident.id,
    status: values.status ?? incident.status,
    statuses: statuses.map((status) => ({ title: STATUS_LABELS[status], value: status })),
    affected: values.affected ?? incident.affectedServices.join(', '),
    workaround: values.workaround ?? '',
    summary: values.summary ?? '',
    internalNote: values.internalNote ?? '',
    nextUpdateMinutes: String(values.nextUpdateMinutes ?? NEXT_UPDATE_MINUTES[incident.severity]),
    hasProblem: Boolean(values.problem),
    problem: values.problem ?? '',
  });
}

/** The same stakeholder text as an e-mail; every user text is HTML-encoded. */
export function renderUpdateEmail(update: StakeholderUpdate, incident: Incident) {
  const number = formatIncidentNumber(incident.number);
  const paragraph = (label: string, text: string) =>
    `<h3>${label}</h3><p>${encode(text).replace(/\r?\n/g, '<br>')}</p>`;
  const html = [
    `<h2>${number}: ${encode(incident.title)}</h2>`,
    `<p><strong>Update ${update.number} · ${STATUS_LABELS[update.status]}</strong></p>`,
    `<p>${encode(update.summary).replace(/\r?\n/g, '<br>')}</p>`,
    paragraph('Impact', impactOf(update, incident)),
    paragraph('Workaround', update.workaround || 'None yet.'),
    paragraph('What happens next', WHAT_NEXT[update.status]),
    `<p><strong>${encode(nextUpdateText(update))}</strong></p>`,
  ].join('\n');
  return {
    subject: `[${number}] ${STATUS_LABELS[update.status]}: ${incident.title}`.slice(0, 250),
    html,
  };
}

function impactOf(update: StakeholderUpdate, incident: Incident): string {
  if (update.affected) return update.affected;
  if (incident.affectedServices.length > 0) return incident.affectedServices.join(', ');
  return 'Being assessed.';
}

function nextUpdateText(update: StakeholderUpdate): string {
  if (!update.nextUpdateAt) return 'No further updates are planned.';
  return `Next update by ${new ReaderClock().time(update.nextUpdateAt)} UTC.`;
}
