import { encode } from 'html-entities';
import type { PublicStatus } from './public-status';
import { anchorOf, incidentHeading, statusLabel, updateLines } from './status-text';

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
        nextUpdateAt: update.nextUpdateAt,
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

/**
 * /status.atom (RFC 4287): one entry per stakeholder update, newest first. Entry ids are the
 * updates' own UUIDs, so a reader never sees an update twice. Links are relative to the feed's
 * address, which Atom allows, so the page works behind any host name.
 */
export function renderStatusAtom(status: PublicStatus, options: AtomOptions): string {
  const entries = status.incidents
    .flatMap((incident) => incident.updates.map((update) => ({ incident, update })))
    .sort((a, b) => b.update.postedAt.localeCompare(a.update.postedAt));
  const updated = entries[0]?.update.postedAt ?? status.generatedAt;

  const body = entries.map(({ incident, update }) => {
    const title = `${incidentHeading(incident)}: update ${update.number} (${statusLabel(update.status)})`;
    return `  <entry>
    <id>urn:uuid:${xml(update.id)}</id>
    <title type="text">${xml(title)}</title>
    <updated>${xml(update.postedAt)}</updated>
    <published>${xml(update.postedAt)}</published>
    <link rel="alternate" type="text/html" href="/status#${xml(anchorOf(incident))}"/>
    <category term="${xml(statusLabel(update.status))}"/>
    <content type="text">${xml(updateLines(update).join('\n'))}</content>
  </entry>`;
  });

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
