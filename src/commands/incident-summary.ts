import { renderSummaryCard } from '../cards/summary-card';
import { InputError } from '../errors';
import type { Incident, IncidentPlace } from '../incidents/incident';
import type { CommandDeps } from './deps';
import { incidentForText } from './incident-change';
import { roomKeysOf, type Reply, type TurnInfo } from './turn';

/**
 * `summary`: posts the incident's summary card in this conversation, as the reader should see it.
 * An incident without a posted card (Teams refused it when it was declared) takes this one as
 * its war room card, so presses and the card sync keep it live; otherwise it is a copy, whose
 * presses work like the original's. The card is sent rather than returned as the reply because
 * recording it needs the id of the post.
 */
export async function summaryFromText(
  deps: CommandDeps,
  turn: TurnInfo,
  incidentNumber: number | undefined,
): Promise<Reply> {
  const incident = await incidentForText(deps, turn, incidentNumber);

  // Claimed before posting: Teams re-delivers a message it thinks went unanswered, and a second
  // card would be a second war room card or a stray copy.
  if (!(await deps.incidents.claim(`activity:${turn.activityId}`))) return null;

  const adopting = !incident.place?.summaryActivityId;
  const place = adopting ? await placeHere(deps, turn, incident) : incident.place;
  const card = await render(deps, turn, { ...incident, place });

  const posted = await deps.sender.send(
    { serviceUrl: turn.serviceUrl, conversationId: turn.conversation.id },
    { card },
  );

  if (!adopting || !place) return null;
  if (!posted.activityId) {
    // Without the post's id the card cannot be updated; recording it would promise a live card.
    deps.logger.warn({ incidentId: incident.id }, 'summary card posted without an id');
    return null;
  }
  const result = await deps.incidents.adoptSummaryCard(
    incident.id,
    { ...place, summaryActivityId: posted.activityId },
    turn.actor,
    `summary-card:${turn.activityId}`,
  );
  if (result.changed) {
    deps.logger.info({ incidentId: incident.id }, 'summary card posted as the war room card');
  }
  return null;
}

/** The reader's view; "Last change by" names whoever wrote the newest timeline entry. */
async function render(deps: CommandDeps, turn: TurnInfo, incident: Incident) {
  const [feedback, newest] = await Promise.all([
    deps.summaryFeedback?.(incident.id),
    deps.incidents.timeline(incident.id, 1, 1),
  ]);
  return renderSummaryCard(incident, {
    now: deps.clock(),
    timeZone: turn.timeZone,
    lastChangeBy: newest.entries[0]?.actor.name,
    feedback,
  });
}

/** Where a card posted in this conversation puts the war room. */
async function placeHere(
  deps: CommandDeps,
  turn: TurnInfo,
  incident: Incident,
): Promise<IncidentPlace> {
  const here = { serviceUrl: turn.serviceUrl, conversationId: turn.conversation.id };
  const { channelId, type, id } = turn.conversation;

  // A dedicated channel stays the war room; only its card was missing.
  const old = incident.place;
  if (old?.mode === 'channel' && old.channelId === channelId) return { ...old, ...here };

  // A thread becomes the war room, so commands typed in it imply the incident, unless that would
  // take the thread from another incident or make a whole channel imply this one. A chat place
  // has no room key: the card is kept live all the same.
  const thread = type === 'channel' && channelId !== undefined && id !== channelId;
  if (!thread || (await anotherIncidentsRoom(deps, turn, incident))) {
    return { mode: 'chat', ...here };
  }
  return { mode: 'thread', ...here, channelId };
}

async function anotherIncidentsRoom(deps: CommandDeps, turn: TurnInfo, incident: Incident) {
  try {
    const implied = await deps.incidents.find({
      tenantId: turn.tenantId,
      roomKeys: roomKeysOf(turn),
    });
    return implied.id !== incident.id;
  } catch (error) {
    // InputError is find's answer for a conversation that is no incident's room.
    if (error instanceof InputError) return false;
    throw error;
  }
}
