import type { Person } from '../incidents/incident';
import type { DeclareOrigin } from '../incidents/war-room';

export interface MentionedPerson {
  /** The Teams id (29:…) the mention carries. */
  teamsId: string;
  /** The display name rebuilt from every tag of that person, in order. */
  name: string;
  aadObjectId?: string;
}

/** What a handler knows about the activity it serves, with no Bot Framework types. */
export interface TurnInfo {
  activityId: string;
  tenantId: string;
  actor: Person;
  serviceUrl: string;
  conversation: {
    id: string;
    type: 'personal' | 'groupChat' | 'channel';
    /** The channel id without a thread suffix. */
    channelId?: string;
    /** The message a card action was pressed on, when there is one. */
    replyToId?: string;
  };
  /** IANA time zone from the Teams client, when it sent one. */
  timeZone?: string;
  /** People mentioned in the message (not the bot), once each. */
  mentions: MentionedPerson[];
  /** Looks a mentioned person up in the conversation roster to learn their Entra object id. */
  resolvePerson(mention: MentionedPerson): Promise<Person>;
}

/** What the transport sends back for a message: nothing, a line of text, or a card. */
export type Reply = { text: string } | { card: object } | null;

/** Conversation ids to find an implied incident by, the thread first, then its channel. */
export function roomKeysOf(turn: TurnInfo): string[] {
  const keys = [turn.conversation.id];
  if (turn.conversation.channelId && turn.conversation.channelId !== turn.conversation.id) {
    keys.push(turn.conversation.channelId);
  }
  return keys;
}

export function originOf(turn: TurnInfo): DeclareOrigin {
  return {
    tenantId: turn.tenantId,
    serviceUrl: turn.serviceUrl,
    conversationType: turn.conversation.type,
    conversationId: turn.conversation.id,
    channelId: turn.conversation.channelId,
  };
}
