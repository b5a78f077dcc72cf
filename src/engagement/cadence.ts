import {
  formatIncidentNumber,
  type Incident,
  type Person,
  type Severity,
} from '../incidents/incident';

/** Minutes between stakeholder updates for SEV1…SEV4 (index 0 is SEV1); 0: no reminders. */
export type Cadence = readonly number[];

/** An open incident and when it last told stakeholders anything. */
export interface CadenceCandidate {
  incident: Incident;
  /** The newest stakeholder update's time; undefined when none was posted yet. */
  lastUpdateAt?: string;
}

/** Reads open incidents with their last update time; implemented in src/store/. */
export interface CadenceReader {
  openIncidents(limit: number): Promise<CadenceCandidate[]>;
}

export function intervalMinutes(cadence: Cadence, severity: Severity): number {
  return cadence[severity - 1] ?? 0;
}

/**
 * The due time a reminder is for: the last stakeholder update (or the declaration, before the
 * first) plus the severity's interval, at the severity the incident has now; while nobody posts,
 * every further interval is a new due time. Undefined when the severity has no cadence or
 * nothing is due yet. A promise printed on the last update is not used: the setting is the one
 * place that says how often to remind.
 */
export function dueAt(
  candidate: CadenceCandidate,
  cadence: Cadence,
  now: Date,
): string | undefined {
  const minutes = intervalMinutes(cadence, candidate.incident.severity);
  if (minutes <= 0) return undefined;
  const since = Date.parse(candidate.lastUpdateAt ?? candidate.incident.createdAt);
  const intervals = Math.floor((now.getTime() - since) / (minutes * 60_000));
  if (intervals < 1) return undefined;
  return new Date(since + intervals * minutes * 60_000).toISOString();
}

/** Who is reminded: the communications lead, else the commander, else who declared it. */
export function reminderRecipient(incident: Incident): Person {
  return incident.roles.comms ?? incident.roles.commander ?? incident.declaredBy;
}

/** The reminder's first line, with the mention tag Teams needs to notify the person. */
export function reminderText(incident: Incident, person: Person, due: string, now: Date): string {
  const late = Math.max(0, Math.round((now.getTime() - Date.parse(due)) / 60_000));
  const since = late > 0 ? ` (due ${late} min ago)` : '';
  return (
    `<at>${person.name}</at> a stakeholder update for ${formatIncidentNumber(incident.number)} ` +
    `is due${since}.`
  );
}
