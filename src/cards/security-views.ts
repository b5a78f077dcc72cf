import { formatIncidentNumber, type Incident } from '../incidents/incident';
import { ACTION_LABELS } from '../security/containment';
import type { HuntingResult } from '../security/evidence';
import type { AuditRecord } from '../security/ports';
import { renderCard } from './render';
import { ReaderClock } from './time-format';

/** Rows and columns a hunting card shows; the full count is always stated. */
const HUNT_ROWS = 10;
const HUNT_COLUMNS = 8;
const CELL_MAX = 200;

/** The first rows of an advanced hunting result, column by column, and how many there were. */
export function renderHuntingResult(incident: Incident, title: string, result: HuntingResult) {
  const columns = result.columns.slice(0, HUNT_COLUMNS);
  const rows = result.rows.slice(0, HUNT_ROWS);
  const shown = rows.length < result.rows.length ? `the first ${rows.length}` : 'all';
  return renderCard('hunting-result', {
    number: formatIncidentNumber(incident.number),
    title,
    countLine:
      result.rows.length === 0
        ? 'No rows: nothing matched.'
        : `${result.rows.length} rows; showing ${shown}, long values cut at ${CELL_MAX} characters. ` +
          'The count is on the timeline.',
    rows: rows.map((row) => ({
      cells: columns.map((name) => ({ name, text: cell(valueOf(row, name)) })),
    })),
  });
}

/** Rows may spell a column differently from the schema (Timestamp / timestamp). */
function valueOf(row: Record<string, unknown>, column: string): unknown {
  if (column in row) return row[column];
  const key = Object.keys(row).find((k) => k.toLowerCase() === column.toLowerCase());
  return key === undefined ? undefined : row[key];
}

/**
 * Cell text as Graph sent it. Timestamps keep their 100-ns digits: they are shown, not parsed,
 * so a 7-digit fraction can never throw.
 */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return cutWhole(text, CELL_MAX);
}

/** Cuts by whole characters, never inside an emoji's surrogate pair; the count line says so. */
function cutWhole(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('');
}

const EVENT_LABELS: Record<AuditRecord['event'], string> = {
  requested: 'requested',
  approved: 'approved',
  rejected: 'rejected',
  expired: 'expired',
  refused: 'was refused',
  executed: 'ran',
  linked: 'linked',
  hunted: 'hunted',
  'defender-updated': 'updated Defender',
};

/** The append-only security audit of one incident, newest first. */
export function renderSecurityAudit(incident: Incident, records: AuditRecord[], timeZone?: string) {
  const clock = new ReaderClock(timeZone);
  return renderCard('security-audit', {
    incidentId: incident.id,
    number: formatIncidentNumber(incident.number),
    countLine: `${records.length} most recent records, newest first · ${clock.label()}`,
    empty: records.length === 0,
    records: records.map((r) => {
      const what = [
        r.action ? ACTION_LABELS[r.action] : '',
        r.accountName ? `for ${r.accountName}` : '',
      ]
        .filter(Boolean)
        .join(' ');
      const ids = [
        r.requestId ? `request ${r.requestId.slice(0, 8)}` : '',
        r.graphRequestId && !r.outcome.includes(r.graphRequestId)
          ? `Graph request id ${r.graphRequestId}`
          : '',
      ]
        .filter(Boolean)
        .join(', ');
      return {
        time: clock.time(r.at),
        actor: r.actor.name,
        line: ` ${EVENT_LABELS[r.event]}${what ? ` ${what}` : ''}${r.outcome ? `: ${r.outcome}` : ''}${ids ? ` (${ids})` : ''}`,
      };
    }),
  });
}
