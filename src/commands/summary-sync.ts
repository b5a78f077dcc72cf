import { renderSummaryCard } from '../cards/summary-card';
import type { Incident } from '../incidents/incident';
import type { CommandDeps } from './deps';
import type { TurnInfo } from './turn';

/**
 * Updates the posted summary card so everyone sees the change, not only the person who pressed.
 * It runs after the answer to Teams: a slow or failed update never delays or fails the press.
 * The shared card shows UTC; each reader's own view (invoke answers, refresh) uses their zone.
 */
export function syncSummaryCard(deps: CommandDeps, incident: Incident, turn: TurnInfo): void {
  const place = incident.place;
  if (!place?.summaryActivityId) return;

  const targets = [{ conversationId: place.conversationId, activityId: place.summaryActivityId }];
  const pressed = turn.conversation.replyToId;
  if (
    pressed &&
    pressed !== place.summaryActivityId &&
    turn.conversation.id === place.conversationId
  ) {
    targets.push({ conversationId: turn.conversation.id, activityId: pressed });
  }

  // The feedback counts are read here, off the answer's path, like the update itself.
  const rendered = (deps.summaryFeedback?.(incident.id) ?? Promise.resolve(undefined)).then(
    (feedback) =>
      renderSummaryCard(incident, { now: deps.clock(), lastChangeBy: turn.actor.name, feedback }),
  );
  for (const target of targets) {
    rendered
      .then((card) => deps.sender.updateCard({ serviceUrl: place.serviceUrl, ...target }, card))
      .catch((error: unknown) =>
        deps.logger.warn(
          { err: error, incidentId: incident.id, activityId: target.activityId },
          'summary card update failed',
        ),
      );
  }
}
