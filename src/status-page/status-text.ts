import { createHash } from 'node:crypto';
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

/**
 * When `update` promised the next one, while that promise stands: a resolved incident gets no
 * more updates, so an old update's "next update by" would promise one that never comes.
 */
export function nextUpdateOf(incident: PublicIncident, update: PublicUpdate): string | null {
  return incident.resolved ? null : update.nextUpdateAt;
}

/**
 * For a resolved incident whose newest update was posted before it was resolved (with `status
 * resolved`, not a final update), the sentence saying so; otherwise undefined, as the updates
 * already tell the state.
 */
export function resolutionNote(incident: PublicIncident): string | undefined {
  const newest = incident.updates[0];
  if (!incident.resolved || !newest || statusLabel(newest.status) === 'Resolved') return undefined;
  return `${statusLabel(incident.status)} after update ${newest.number}; no further updates are planned.`;
}

/** The lines of one update as plain text, for the feed and anything else without markup. */
export function updateLines(incident: PublicIncident, update: PublicUpdate): string[] {
  const lines = [update.summary];
  if (update.affected) lines.push(`Affected: ${update.affected}`);
  if (update.workaround) lines.push(`Workaround: ${update.workaround}`);
  const nextUpdateAt = nextUpdateOf(incident, update);
  if (nextUpdateAt) lines.push(`Next update by ${utcTime(nextUpdateAt)}`);
  return lines;
}

export function incidentHeading(incident: PublicIncident): string {
  return `${incident.number} ${incident.title}`;
}

/** A name-based UUID (version 5 layout) from `name`: the same on every instance and restart. */
export function nameUuid(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
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
