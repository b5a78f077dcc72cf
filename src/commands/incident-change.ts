import { renderSummaryCard } from '../cards/summary-card';
import { NotFoundError } from '../errors';
import {
  formatIncidentNumber,
  type Incident,
  type Severity,
  type Status,
} from '../incidents/incident';
import type { ChangeResult } from '../incidents/incident-service';
import type { CommandDeps } from './deps';
import { syncSummaryCard } from './summary-sync';
import { roomKeysOf, type Reply, type TurnInfo } from './turn';
import { parseIncidentRef } from './command-parser';

/** The incident a card button names, checked against the tenant the press came from. */
export async function incidentForCard(deps: CommandDeps, turn: TurnInfo, incidentId: string) {
  // Cards made by hand or by other tools name the incident by number ("INC-0042").
  const byNumber = parseIncidentRef(incidentId);
  const incident =
    byNumber !== undefined
      ? await deps.incidents.find({
          tenantId: turn.tenantId,
          incidentNumber: byNumber,
          roomKeys: [],
        })
      : await deps.incidents.get(incidentId);
  // Card data is the user's to forge: an incident of another tenant is treated as missing.
  if (incident.tenantId !== turn.tenantId) throw new NotFoundError('That incident does not exist.');
  return incident;
}

export function incidentForText(deps: CommandDeps, turn: TurnInfo, incidentNumber?: number) {
  return deps.incidents.find({
    tenantId: turn.tenantId,
    incidentNumber,
    roomKeys: roomKeysOf(turn),
  });
}

export type IncidentChange =
  | { kind: 'status'; status: Status }
  | { kind: 'severity'; severity: Severity }
  | { kind: 'acknowledge' };

/**
 * `tenantId`: the incident was named by card data (forgeable) and not yet checked; the tenant is
 * then checked inside the change's transaction, which saves reading the incident twice.
 */
export async function applyChange(
  deps: CommandDeps,
  turn: TurnInfo,
  incidentId: string,
  change: IncidentChange,
  key: string,
  tenantId?: string,
): Promise<ChangeResult> {
  const { incidents } = deps;
  let result: ChangeResult;
  switch (change.kind) {
    case 'status':
      result = await incidents.changeStatus(incidentId, change.status, turn.actor, key, tenantId);
      break;
    case 'severity':
      result = await incidents.changeSeverity(
        incidentId,
        change.severity,
        turn.actor,
        key,
        tenantId,
      );
      break;
    case 'acknowledge':
      result = await incidents.acknowledge(incidentId, turn.actor, key, tenantId);
      break;
  }

  if (result.changed) syncSummaryCard(deps, result.incident, turn);
  if (result.changed && change.kind === 'status' && deps.onStatusChanged) {
    // After the answer's data is ready; a failure here never undoes the status change.
    deps
      .onStatusChanged(turn, result.incident)
      .catch((error: unknown) =>
        deps.logger.warn({ err: error, incidentId }, 'status follow-up failed'),
      );
  }
  return result;
}

/** A typed command (`status resolved`, `sev 1`): one line back, saying what happened. */
export async function changeFromText(
  deps: CommandDeps,
  turn: TurnInfo,
  incidentNumber: number | undefined,
  change: IncidentChange,
): Promise<Reply> {
  const incident = await incidentForText(deps, turn, incidentNumber);
  const result = await applyChange(deps, turn, incident.id, change, `activity:${turn.activityId}`);
  const number = formatIncidentNumber(incident.number);
  const state = describe(result.incident, change);
  return { text: result.changed ? `${number} ${state.now}` : `${number} ${state.already}` };
}

/** A card button: answers with the card as the presser should now see it. */
export async function changeFromCard(
  deps: CommandDeps,
  turn: TurnInfo,
  incidentId: string,
  change: IncidentChange,
) {
  const key = `activity:${turn.activityId}`;
  // A number ("INC-0042") is looked up within the tenant; an id is checked in the transaction.
  const result =
    parseIncidentRef(incidentId) !== undefined
      ? await applyChange(
          deps,
          turn,
          (await incidentForCard(deps, turn, incidentId)).id,
          change,
          key,
        )
      : await applyChange(deps, turn, incidentId, change, key, turn.tenantId);
  return summaryFor(deps, turn, result.incident);
}

export async function summaryFor(deps: CommandDeps, turn: TurnInfo, incident: Incident) {
  return renderSummaryCard(incident, {
    now: deps.clock(),
    timeZone: turn.timeZone,
    lastChangeBy: turn.actor.name,
    feedback: await deps.summaryFeedback?.(incident.id),
  });
}

function describe(incident: Incident, change: IncidentChange) {
  switch (change.kind) {
    case 'status':
      return { now: `is now ${incident.status}.`, already: `is already ${incident.status}.` };
    case 'severity':
      return {
        now: `is now SEV${incident.severity}.`,
        already: `is already SEV${incident.severity}.`,
      };
    case 'acknowledge':
      return {
        now: 'is acknowledged.',
        already: `was already acknowledged by ${incident.acknowledgedBy?.name ?? 'someone'}.`,
      };
  }
}
