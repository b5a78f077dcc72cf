import { createHash } from 'node:crypto';
import { renderTimelineCard } from '../cards/timeline-card';
import { formatIncidentNumber, type Incident } from '../incidents/incident';
import type { CommandDeps } from './deps';
import { incidentForCard, incidentForText, summaryFor } from './incident-change';
import { syncSummaryCard } from './summary-sync';
import type { Reply, TurnInfo } from './turn';

export const TIMELINE_PAGE_SIZE = 10;

export async function noteFromText(
  deps: CommandDeps,
  turn: TurnInfo,
  incidentNumber: number | undefined,
  text: string,
): Promise<Reply> {
  const incident = await incidentForText(deps, turn, incidentNumber);
  await addNote(deps, turn, incident, text, `activity:${turn.activityId}`);
  return { text: `Added to the ${formatIncidentNumber(incident.number)} timeline.` };
}

/**
 * The note box on the summary card. A double click sends two activities with the same text from
 * the same card version: the key makes the second one a repeat, while the same words typed
 * again later (from a newer card) are a new entry.
 */
export async function noteFromCard(
  deps: CommandDeps,
  turn: TurnInfo,
  incidentId: string,
  text: string,
  cardVersion: string,
) {
  const incident = await incidentForCard(deps, turn, incidentId);
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const key = `note:${incident.id}:${cardVersion}:${turn.actor.id}:${digest}`;
  const result = await addNote(deps, turn, incident, text, key);
  return summaryFor(deps, turn, result.incident);
}

/** "Add to timeline" on any message: the chosen incident gets the message as an entry. */
export async function noteFromMessage(
  deps: CommandDeps,
  turn: TurnInfo,
  incidentNumber: number,
  text: string,
) {
  const incident = await incidentForText(deps, turn, incidentNumber);
  await addNote(deps, turn, incident, text, `activity:${turn.activityId}`);
  return incident;
}

async function addNote(
  deps: CommandDeps,
  turn: TurnInfo,
  incident: Incident,
  text: string,
  key: string,
) {
  const result = await deps.incidents.addNote(incident.id, text, turn.actor, key);
  if (result.changed) syncSummaryCard(deps, result.incident, turn);
  return result;
}

export async function timelineFromText(
  deps: CommandDeps,
  turn: TurnInfo,
  incidentNumber: number | undefined,
  page: number,
): Promise<Reply> {
  const incident = await incidentForText(deps, turn, incidentNumber);
  return { card: await timelineCard(deps, turn, incident, page) };
}

export async function timelineFromCard(
  deps: CommandDeps,
  turn: TurnInfo,
  incidentId: string,
  page: number,
) {
  const incident = await incidentForCard(deps, turn, incidentId);
  return timelineCard(deps, turn, incident, page);
}

async function timelineCard(deps: CommandDeps, turn: TurnInfo, incident: Incident, page: number) {
  const timeline = await deps.incidents.timeline(incident.id, page, TIMELINE_PAGE_SIZE);
  const clamped =
    page > timeline.pages
      ? await deps.incidents.timeline(incident.id, timeline.pages, TIMELINE_PAGE_SIZE)
      : timeline;
  return renderTimelineCard(incident, clamped, turn.timeZone);
}
