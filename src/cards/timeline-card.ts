import { formatIncidentNumber, type Incident, type TimelineEntry } from '../incidents/incident';
import { renderCard } from './render';
import { ReaderClock } from './time-format';

export interface TimelinePage {
  entries: TimelineEntry[];
  total: number;
  page: number;
  pages: number;
}

export function renderTimelineCard(
  incident: Incident,
  page: TimelinePage,
  timeZone?: string | null,
) {
  const clock = new ReaderClock(timeZone);
  return renderCard('timeline', {
    incidentId: incident.id,
    number: formatIncidentNumber(incident.number),
    title: incident.title,
    page: page.page,
    pages: page.pages,
    total: page.total,
    zoneLabel: clock.label(),
    empty: page.entries.length === 0,
    entries: page.entries.map((entry) => ({
      time: clock.time(entry.at),
      actor: entry.actor.name,
      text: entry.text,
    })),
    hasNewer: page.page > 1,
    newerPage: page.page - 1,
    hasOlder: page.page < page.pages,
    olderPage: page.page + 1,
  });
}
