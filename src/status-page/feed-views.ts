import { encode } from 'html-entities';
import type { PublicIncident, PublicStatus } from './public-status';
import {
  anchorOf,
  incidentHeading,
  nameUuid,
  nextUpdateOf,
  resolutionNote,
  statusLabel,
  updateLines,
} from './status-text';

/**
 * /status.json. Built field by field from the public types rather than serialising them whole,
 * so a field added to those types later is not published without someone choosing to.
 */
export function renderStatusJson(status: PublicStatus) {
  return {
    title: status.title,
    generatedAt: status.generatedAt,
    incidents: status.incidents.map((incident) => ({
      number: incident.number,
      title: incident.title,
      status: incident.status,
      statusLabel: statusLabel(incident.status),
      severity: incident.severity,
      resolved: incident.resolved,
      updatedAt: incident.updatedAt,
      updates: incident.updates.map((update) => ({
        number: update.number,
        status: update.status,
        summary: update.summary,
        affected: update.affected,
        workaround: update.workaround,
        nextUpdateAt: nextUpdateOf(incident, update),
        postedAt: update.postedAt,
      })),
    })),
  };
}

// XML 1.0 forbids most control characters even as entities; one in a summary would break the feed.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function xml(text: string): string {
  return encode(text.replace(XML_INVALID, ''), { mode: 'specialChars', level: 'xml' });
}

export interface AtomOptions {
  /** A stable URI naming this feed (urn:uuid:…), the same on every instance. */
  feedId: string;
}

interface AtomEntry {
  id: string;
  title: string;
  /** When the entry last changed (ISO). */
  updated: string;
  /** When it first appeared, if known (ISO). */
  published?: string;
  incident: PublicIncident;
  category: string;
  content: string;
}

/**
 * /status.atom (RFC 4287): one entry per stakeholder update, newest first. Entry ids are the
 * updates' own UUIDs, so a reader never sees an update twice. Links are relative to the feed's
 * address, which Atom allows, so the page works behind any host name.
 *
 * An incident resolved after its last update (with `status resolved`) gets one more entry saying
 * so: the feed has no other place for the incident's own status, and without it a subscriber's
 * newest word would be that update's "Investigating".
 */
export function renderStatusAtom(status: PublicStatus, options: AtomOptions): string {
  const entries = status.incidents
    .flatMap((incident) => [...updateEntries(incident), ...resolutionEntries(incident)])
    .sort((a, b) => b.updated.localeCompare(a.updated));
  const updated = entries[0]?.updated ?? status.generatedAt;

  const body = entries.map((entry) =>
    [
      '  <entry>',
      `    <id>urn:uuid:${xml(entry.id)}</id>`,
      `    <title type="text">${xml(entry.title)}</title>`,
      `    <updated>${xml(entry.updated)}</updated>`,
      ...(entry.published ? [`    <published>${xml(entry.published)}</published>`] : []),
      `    <link rel="alternate" type="text/html" href="/status#${xml(anchorOf(entry.incident))}"/>`,
      `    <category term="${xml(entry.category)}"/>`,
      `    <content type="text">${xml(entry.content)}</content>`,
      '  </entry>',
    ].join('\n'),
  );

  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(options.feedId)}</id>
  <title type="text">${xml(status.title)}</title>
  <updated>${xml(updated)}</updated>
  <author><name>${xml(status.title)}</name></author>
  <link rel="self" type="application/atom+xml" href="/status.atom"/>
  <link rel="alternate" type="text/html" href="/status"/>
${body.join('\n')}
</feed>
`;
}

function updateEntries(incident: PublicIncident): AtomEntry[] {
  return incident.updates.map((update) => ({
    id: update.id,
    title: `${incidentHeading(incident)}: update ${update.number} (${statusLabel(update.status)})`,
    updated: update.postedAt,
    published: update.postedAt,
    incident,
    category: statusLabel(update.status),
    content: updateLines(incident, update).join('\n'),
  }));
}

function resolutionEntries(incident: PublicIncident): AtomEntry[] {
  const note = resolutionNote(incident);
  if (!note) return [];

  const label = statusLabel(incident.status);
  return [
    {
      // From the incident's id, so a reopened and again resolved incident updates this entry.
      id: nameUuid(`incident-bot status resolution:${incident.id}`),
      title: `${incidentHeading(incident)}: ${label}`,
      // The incident's last change: the resolution, or a later one such as closing. No
      // <published>, as the moment of resolving is not among the fields the page may read.
      updated: incident.updatedAt,
      incident,
      category: label,
      content: note,
    },
  ];
}
