import type { PublicIncident, PublicUpdate } from './public-status';

const STATUS_LABELS: Record<string, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  closed: 'Resolved',
};

/** Closed is an internal step after the review; readers of the page only need "Resolved". */
export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? 'Investigating';
}

/** `2025-03-04 09:30 UTC`: the page has no reader time zone, so it says which one it uses. */
export function utcTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The lines of one update as plain text, for the feed and anything else without markup. */
export function updateLines(update: PublicUpdate): string[] {
  const lines = [update.summary];
  if (update.affected) lines.push(`Affected: ${update.affected}`);
  if (update.workaround) lines.push(`Workaround: ${update.workaround}`);
  if (update.nextUpdateAt) lines.push(`Next update by ${utcTime(update.nextUpdateAt)}`);
  return lines;
}

export function incidentHeading(incident: PublicIncident): string {
  return `${incident.number} ${incident.title}`;
}

/** Lower-case anchor (`inc-0042`) so a feed entry can link to its incident on the page. */
export function anchorOf(incident: PublicIncident): string {
  return incident.number.toLowerCase();
}

/** Open incidents first, then the most recent activity. */
export function byOpenThenNewest(a: PublicIncident, b: PublicIncident): number {
  if (a.resolved !== b.resolved) return a.resolved ? 1 : -1;
  const newestA = a.updates[0]?.postedAt ?? a.updatedAt;
  const newestB = b.updates[0]?.postedAt ?? b.updatedAt;
  return newestB.localeCompare(newestA);
}
