import type { ConversationReference } from 'botbuilder';

/**
 * The reference a proactive turn starts from when all we stored is where to post. Fields we do
 * not know are left out, not sent empty: the Agents Playground's connector refuses an activity
 * whose conversation has `conversationType: ""` (400 BadArgument), which lost every card posted
 * into a chat. The connector routes by the conversation id alone.
 */
export function proactiveReference(
  botAppId: string,
  serviceUrl: string,
  conversationId: string,
): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl,
    // The schema's type asks for every field of the account; Teams needs the id only.
    conversation: { id: conversationId } as ConversationReference['conversation'],
    bot: { id: botAppId, name: '' },
  };
}
