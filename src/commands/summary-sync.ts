import { renderSummaryCard } from '../cards/summary-card';
import type { Incident } from '../incidents/incident';
import type { CommandDeps } from './deps';
import type { TurnInfo } from './turn';

/** At most one update of a posted card per this interval; changes in between are folded. */
const MIN_INTERVAL_MS = 1000;

interface Target {
  serviceUrl: string;
  conversationId: string;
  activityId: string;
}

interface Pending {
  incident: Incident;
  by?: string;
}

/** One posted card: the newest state waiting for it, and the pause or send under way. */
interface Slot {
  target: Target;
  next?: Pending;
  timer?: NodeJS.Timeout;
  sending?: Promise<void>;
}

interface AppCards {
  slots: Map<string, Slot>;
  stopped: boolean;
}

/** Per app (per deps object): cards being updated now, and the newest state waiting for each. */
const inFlight = new WeakMap<CommandDeps, AppCards>();

/** How long stopping waits for the last card updates before the store closes under them. */
const FLUSH_TIMEOUT_MS = 5000;

/**
 * Updates the posted summary card so everyone sees the change, not only the person who pressed.
 * It runs after the answer to Teams: a slow or failed update never delays or fails the press.
 * A burst of presses becomes one update a second, rendered from the newest state: Teams limits
 * how fast a bot may edit messages, and a render plus a connector call per press was the largest
 * cost of a press in npm run bench. The shared card shows UTC; each reader's own view (invoke
 * answers, refresh) uses their zone.
 */
export function syncSummaryCard(deps: CommandDeps, incident: Incident, turn: TurnInfo): void {
  const place = incident.place;
  if (!place?.summaryActivityId) return;

  const targets: Target[] = [
    {
      serviceUrl: place.serviceUrl,
      conversationId: place.conversationId,
      activityId: place.summaryActivityId,
    },
  ];
  const pressed = turn.conversation.replyToId;
  if (
    pressed &&
    pressed !== place.summaryActivityId &&
    turn.conversation.id === place.conversationId
  ) {
    targets.push({
      serviceUrl: place.serviceUrl,
      conversationId: turn.conversation.id,
      activityId: pressed,
    });
  }

  for (const target of targets) queue(deps, target, { incident, by: turn.actor.name });
}

/**
 * Shows `incident` on the summary card pressed with an Action.Submit (its replyToId): unlike an
 * Action.Execute answer, Teams does not replace the card with anything. The edit is seen by
 * everyone, so it is the shared view, folded with the other updates of that card. False without
 * a replyToId.
 */
export function syncPressedCard(deps: CommandDeps, incident: Incident, turn: TurnInfo): boolean {
  const pressed = turn.conversation.replyToId;
  if (!pressed) return false;

  const target = {
    serviceUrl: turn.serviceUrl,
    conversationId: turn.conversation.id,
    activityId: pressed,
  };
  queue(deps, target, { incident, by: turn.actor.name });
  return true;
}

/**
 * Puts new feedback counts on the posted summary card, folded with the presses: stakeholders
 * vote in bursts, and one edit per vote is what Teams throttles. `by` keeps "Last change by".
 */
export function syncSummaryFeedback(deps: CommandDeps, incident: Incident, by?: string): void {
  const place = incident.place;
  if (!place?.summaryActivityId) return;
  const target = {
    serviceUrl: place.serviceUrl,
    conversationId: place.conversationId,
    activityId: place.summaryActivityId,
  };
  queue(deps, target, { incident, by });
}

function queue(deps: CommandDeps, target: Target, latest: Pending): void {
  let cards = inFlight.get(deps);
  if (!cards) inFlight.set(deps, (cards = { slots: new Map(), stopped: false }));
  if (cards.stopped) return;
  const key = `${target.conversationId}|${target.activityId}`;
  const busy = cards.slots.get(key);
  if (busy) {
    // The counts are read when the card is sent, so the same version still shows new votes.
    if (!busy.next || busy.next.incident.version <= latest.incident.version) busy.next = latest;
    return;
  }
  const slot: Slot = { target };
  cards.slots.set(key, slot);
  sendThenPause(deps, cards, key, slot, latest);
}

function sendThenPause(
  deps: CommandDeps,
  cards: AppCards,
  key: string,
  slot: Slot,
  what: Pending,
): void {
  slot.sending = send(deps, slot.target, what).then(() => {
    slot.sending = undefined;
    if (cards.stopped) return;
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      const next = slot.next;
      slot.next = undefined;
      if (next) sendThenPause(deps, cards, key, slot, next);
      else cards.slots.delete(key);
    }, MIN_INTERVAL_MS);
    slot.timer.unref();
  });
}

async function send(deps: CommandDeps, target: Target, what: Pending): Promise<void> {
  try {
    // The feedback counts are read here, off the answer's path, like the update itself.
    const feedback = await deps.summaryFeedback?.(what.incident.id, { fresh: true });
    const card = renderSummaryCard(what.incident, {
      now: deps.clock(),
      lastChangeBy: what.by,
      feedback,
    });
    await deps.sender.updateCard(target, card);
  } catch (error) {
    deps.logger.warn(
      { err: error, incidentId: what.incident.id, activityId: target.activityId },
      'summary card update failed',
    );
  }
}

/**
 * For shutdown, before the store closes: takes no more changes, skips the pauses and sends the
 * newest state still waiting for each card, so the posted cards do not stay a change behind.
 * Waits at most FLUSH_TIMEOUT_MS; an update still running then is abandoned.
 */
export async function flushSummaryCards(deps: CommandDeps): Promise<void> {
  const cards = inFlight.get(deps) ?? { slots: new Map<string, Slot>(), stopped: false };
  inFlight.set(deps, cards);
  if (cards.stopped) return;
  cards.stopped = true;

  const flushes = [...cards.slots.values()].map(async (slot) => {
    clearTimeout(slot.timer);
    await slot.sending;
    const next = slot.next;
    slot.next = undefined;
    if (next) await send(deps, slot.target, next);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_TIMEOUT_MS)));
  await Promise.race([Promise.all(flushes), timeout]);
  clearTimeout(timer);
  cards.slots.clear();
}
