import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { MentionedPerson, TurnInfo } from '../commands/turn';
import type { Person } from '../incidents/incident';
import type { Logger } from '../logger';
import { cleanMessageText, type MentionEntity } from './message-text';

/** The tenant an activity belongs to, from wherever Teams put it; undefined when absent. */
export function tenantOf(context: TurnContext): string | undefined {
  const activity = context.activity;
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = channelData?.tenant?.id;
  if (typeof fromChannelData === 'string' && fromChannelData) return fromChannelData.toLowerCase();
  const fromConversation = activity.conversation?.tenantId;
  return typeof fromConversation === 'string' && fromConversation
    ? fromConversation.toLowerCase()
    : undefined;
}

/** The channel id without the `;messageid=` of a thread. */
export function baseConversationId(conversationId: string): string {
  return conversationId.split(';')[0];
}

export function actorOf(context: TurnContext): Person {
  const from = context.activity.from ?? { id: 'unknown', name: '' };
  return {
    id: from.aadObjectId ?? from.id,
    name: (typeof from.name === 'string' && from.name.trim()) || 'Someone',
    teamsId: from.id,
  };
}

/** The IANA time zone the Teams client reported (clientInfo entity or localTimezone). */
export function timeZoneOf(context: TurnContext): string | undefined {
  const activity = context.activity;
  for (const entity of entitiesOf(context)) {
    const zone = (entity as { timezone?: unknown }).timezone;
    if (entity.type === 'clientInfo' && typeof zone === 'string' && zone) return zone;
  }
  return typeof activity.localTimezone === 'string' && activity.localTimezone
    ? activity.localTimezone
    : undefined;
}

export function cleanTextOf(context: TurnContext) {
  const activity = context.activity;
  const twin = activity.attachments?.find((a) => a.contentType === 'text/html')?.content;
  return cleanMessageText(
    activity.text ?? '',
    entitiesOf(context) as MentionEntity[],
    activity.recipient?.id ?? '',
    typeof twin === 'string' ? twin : undefined,
  );
}

export function buildTurnInfo(
  context: TurnContext,
  tenantId: string,
  mentions: MentionedPerson[],
  logger: Logger,
): TurnInfo {
  const activity = context.activity;
  const conversationId = activity.conversation?.id ?? '';
  const type = conversationTypeOf(activity.conversation?.conversationType);
  const channelData = activity.channelData as { channel?: { id?: string } } | undefined;

  return {
    activityId: activity.id ?? `${conversationId}:${activity.timestamp?.toString() ?? ''}`,
    tenantId,
    actor: actorOf(context),
    serviceUrl: activity.serviceUrl ?? '',
    conversation: {
      id: conversationId,
      type,
      channelId:
        type === 'channel'
          ? (channelData?.channel?.id ?? baseConversationId(conversationId))
          : undefined,
      // Only a card press names the card it came from: in a thread, a typed message's
      // replyToId is whatever it answers, and updating that "card" fails or overwrites a post.
      replyToId: isCardPress(activity) ? activity.replyToId : undefined,
    },
    timeZone: timeZoneOf(context),
    mentions,
    resolvePerson: (mention) => resolvePerson(context, mention, logger),
  };
}

/** An Action.Execute invoke, or an Action.Submit (a message with a value and no text). */
function isCardPress(activity: TurnContext['activity']): boolean {
  if (activity.type === 'invoke') return activity.name === 'adaptiveCard/action';
  return activity.type === 'message' && typeof activity.value === 'object' && !activity.text;
}

function conversationTypeOf(value: string | undefined): TurnInfo['conversation']['type'] {
  if (value === 'channel' || value === 'groupChat') return value;
  return 'personal';
}

/** Mentions carry only the Teams id; the roster knows the Entra object id. */
async function resolvePerson(
  context: TurnContext,
  mention: MentionedPerson,
  logger: Logger,
): Promise<Person> {
  if (mention.aadObjectId) {
    return { id: mention.aadObjectId, name: mention.name, teamsId: mention.teamsId };
  }
  try {
    const member = await TeamsInfo.getMember(context, mention.teamsId);
    return {
      id: member.aadObjectId ?? mention.teamsId,
      name: member.name || mention.name,
      teamsId: mention.teamsId,
    };
  } catch (error) {
    logger.warn({ err: error }, 'roster lookup failed; using the Teams id');
    return { id: mention.teamsId, name: mention.name, teamsId: mention.teamsId };
  }
}

/** Entities as a list of objects, whatever a malformed activity carries there. */
function entitiesOf(context: TurnContext) {
  const entities: unknown = context.activity.entities;
  if (!Array.isArray(entities)) return [];
  return entities.filter(
    (entity): entity is { type: string } =>
      typeof entity === 'object' && entity !== null && typeof entity.type === 'string',
  );
}
