import { formatIncidentNumber, type Incident, type TimelineEntry } from '../incidents/incident';
import { renderCard } from './render';
import { ReaderClock } from './time-format';

export interface TimelinePage {
  entries: TimelineEntry[];
  total: number;
  page: number;
  pages: number;
}

/**
 * Entries written before acknowledgements said just "Acknowledged" read "Acknowledged by <actor>",
 * which the card would show after the actor's name a second time. The stored entry is left as it
 * was written (the timeline is append-only); only its display is shortened.
 */
function shownText(entry: TimelineEntry): string {
  if (entry.kind === 'acknowledged' && entry.text === `Acknowledged by ${entry.actor.name}`) {
    return 'Acknowledged';
  }
  return entry.text;
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
      text: shownText(entry),
    })),
    hasNewer: page.page > 1,
    newerPage: page.page - 1,
    hasOlder: page.page < page.pages,
    olderPage: page.page + 1,
  });
}
