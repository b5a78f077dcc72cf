import { encode } from 'html-entities';
import type { PublicIncident, PublicStatus, PublicUpdate } from './public-status';
import { anchorOf, nextUpdateOf, resolutionNote, statusLabel, utcTime } from './status-text';

/** Every piece of user text goes through here: `<`, `>`, `&`, `"` and `'` become entities. */
function esc(text: string): string {
  return encode(text, { mode: 'specialChars', level: 'html5' });
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1b1b1b;
  background: #f5f5f5; line-height: 1.45; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .75rem; }
.meta, .note { color: #555; font-size: .9rem; }
article { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 1rem 1.25rem;
  margin: 0 0 1rem; }
article h3 { font-size: 1.1rem; margin: 0 0 .35rem; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem;
  font-weight: 600; background: #e8e8e8; margin-right: .35rem; }
.open .badge.status { background: #fde7c8; color: #6b3d00; }
.resolved .badge.status { background: #d8f0dc; color: #1d5b2a; }
ol.updates { list-style: none; padding: 0; margin: .75rem 0 0; }
ol.updates li { border-top: 1px solid #eee; padding: .6rem 0; }
.summary { white-space: pre-wrap; overflow-wrap: anywhere; margin: .2rem 0; }
dl { margin: .2rem 0; } dt { font-weight: 600; display: inline; } dd { display: inline; margin: 0; }
dd::after { content: ""; display: block; }
`;

/** The public page: readable without Teams, no script, every text escaped. */
export function renderStatusHtml(status: PublicStatus): string {
  const open = status.incidents.filter((incident) => !incident.resolved);
  const resolved = status.incidents.filter((incident) => incident.resolved);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(status.title)}</title>
<link rel="alternate" type="application/atom+xml" title="${esc(status.title)}" href="/status.atom">
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${esc(status.title)}</h1>
<p class="meta">As of ${esc(utcTime(status.generatedAt))}. <a href="/status.atom">Subscribe (Atom feed)</a> · <a href="/status.json">JSON</a></p>
<h2>Open incidents</h2>
${open.length > 0 ? open.map(renderIncident).join('\n') : '<p class="note">No open incidents.</p>'}
${resolved.length > 0 ? `<h2>Recently resolved</h2>\n${resolved.map(renderIncident).join('\n')}` : ''}
</main>
</body>
</html>
`;
}

function renderIncident(incident: PublicIncident): string {
  // Next to the badge, so the newest update's own status below does not read as the incident's.
  const resolution = resolutionNote(incident);
  return `<article id="${esc(anchorOf(incident))}" class="${incident.resolved ? 'resolved' : 'open'}">
<h3>${esc(incident.number)} ${esc(incident.title)}</h3>
<p><span class="badge status">${esc(statusLabel(incident.status))}</span><span class="badge">SEV${incident.severity}</span></p>
${resolution ? `<p class="note">${esc(resolution)}</p>\n` : ''}<ol class="updates">
${incident.updates.map((update) => renderUpdate(incident, update)).join('\n')}
</ol>
</article>`;
}

function renderUpdate(incident: PublicIncident, update: PublicUpdate): string {
  const nextUpdateAt = nextUpdateOf(incident, update);
  const facts = [
    update.affected ? `<dt>Affected:</dt> <dd>${esc(update.affected)}</dd>` : '',
    update.workaround ? `<dt>Workaround:</dt> <dd>${esc(update.workaround)}</dd>` : '',
    nextUpdateAt
      ? `<dt>Next update by:</dt> <dd><time datetime="${esc(nextUpdateAt)}">${esc(utcTime(nextUpdateAt))}</time></dd>`
      : '',
  ].filter((fact) => fact !== '');

  return `<li>
<p class="meta">Update ${update.number} · ${esc(statusLabel(update.status))} · <time datetime="${esc(update.postedAt)}">${esc(utcTime(update.postedAt))}</time></p>
<p class="summary">${esc(update.summary)}</p>
${facts.length > 0 ? `<dl>${facts.join('')}</dl>` : ''}
</li>`;
}
