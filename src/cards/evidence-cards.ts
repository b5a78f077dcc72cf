import { formatBytes, type EvidenceFile } from '../evidence/evidence';
import { formatIncidentNumber, type Incident } from '../incidents/incident';
import { renderCard } from './render';
import { ReaderClock } from './time-format';

export interface EvidenceCardView {
  files: EvidenceFile[];
  refused: Array<{ name: string; why: string }>;
  /** Open incidents to choose from; empty when the files need no choice (or none is open). */
  choices: Incident[];
  /** Where each kept file went, by incident id. */
  incidentsById: Map<string, Incident>;
  timeZone?: string;
  problem?: string;
}

/** The answer to files sent to the bot, and after "Add to timeline" was pressed. */
export function renderEvidenceCard(view: EvidenceCardView) {
  const clock = new ReaderClock(view.timeZone);
  const waiting = view.files.filter((file) => file.incidentId === null);
  const choosing = waiting.length > 0 && view.choices.length > 0;
  return renderCard('evidence-received', {
    files: view.files.map((file) => ({
      name: file.name,
      size: formatBytes(file.size),
      sha256: file.sha256,
      received: `${clock.time(file.receivedAt)} (${clock.zone})`,
      where: whereOf(file, view.incidentsById, view.choices.length > 0),
    })),
    refused: view.refused,
    hasProblem: Boolean(view.problem),
    problem: view.problem ?? '',
    choosing,
    incidents: view.choices.map((incident) => ({
      title: Array.from(`${formatIncidentNumber(incident.number)} ${incident.title}`)
        .slice(0, 120)
        .join(''),
      value: String(incident.number),
    })),
    selected: view.choices.length > 0 ? String(view.choices[0].number) : '',
    fileIds: waiting.map((file) => file.id).join(','),
  });
}

function whereOf(file: EvidenceFile, incidents: Map<string, Incident>, canChoose: boolean) {
  if (file.incidentId) {
    const incident = incidents.get(file.incidentId);
    return incident
      ? `On the timeline of ${formatIncidentNumber(incident.number)}`
      : 'On an incident’s timeline';
  }
  return canChoose
    ? 'Not added yet: choose one below'
    : 'Not added: no incident is open. Declare one, then send the file again.';
}
