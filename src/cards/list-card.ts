import { formatIncidentNumber, type Incident } from '../incidents/incident';
import { STATUS_LABELS } from './summary-card';
import { renderCard } from './render';

export function renderIncidentList(incidents: Incident[]) {
  return renderCard('incident-list', {
    empty: incidents.length === 0,
    incidents: incidents.map((incident) => ({
      number: formatIncidentNumber(incident.number),
      severity: `SEV${incident.severity}`,
      status: STATUS_LABELS[incident.status],
      title: incident.title,
    })),
  });
}

/** The answer where an incident was declared, pointing at its war room; `note` goes below. */
export function renderDeclaredCard(incident: Incident, note?: string) {
  const place = incident.place;
  const where =
    place?.mode === 'channel'
      ? 'The war room is its own channel in the incident team.'
      : place?.mode === 'thread'
        ? 'The war room is a new thread in this channel.'
        : 'The summary card is posted in this chat.';
  return renderCard('declared', {
    number: formatIncidentNumber(incident.number),
    title: incident.title,
    where,
    hasLink: Boolean(place?.webUrl),
    link: place?.webUrl ?? '',
    hasNote: Boolean(note),
    note: note ?? '',
  });
}
