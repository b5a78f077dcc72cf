import {
  CardFactory,
  MessageFactory,
  type Activity,
  type CloudAdapter,
  type TurnContext,
} from 'botbuilder';
import type {
  ChannelTarget,
  ConversationSender,
  ConversationTarget,
  OutboundMessage,
} from '../incidents/ports';
import { proactiveReference } from './proactive-reference';

const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';

/** Proactive sends through the Bot Framework connector, usable inside and outside a turn. */
export class TeamsSender implements ConversationSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  async startThread(target: ChannelTarget, card: object) {
    let conversationId = '';
    await this.adapter.createConversationAsync(
      this.botAppId,
      'msteams',
      target.serviceUrl,
      BOT_FRAMEWORK_AUDIENCE,
      {
        isGroup: true,
        channelData: { channel: { id: target.channelId }, tenant: { id: target.tenantId } },
        activity: MessageFactory.attachment(CardFactory.adaptiveCard(card)) as Activity,
        tenantId: target.tenantId,
        bot: { id: this.botAppId, name: '' },
        members: [],
      },
      async (context) => {
        conversationId = context.activity.conversation.id;
      },
    );
    // Teams answers with the thread's id, "<channel>;messageid=<root post id>".
    const activityId = /;messageid=(\d+)/.exec(conversationId)?.[1] ?? '';
    return { conversationId, activityId };
  }

  async send(target: ConversationTarget, message: OutboundMessage) {
    let activityId = '';
    await this.continueIn(target, async (context) => {
      const response = await context.sendActivity(toActivity(message));
      activityId = response?.id ?? '';
    });
    return { activityId };
  }

  async updateCard(target: ConversationTarget & { activityId: string }, card: object) {
    await this.continueIn(target, async (context) => {
      await context.updateActivity({
        id: target.activityId,
        type: 'message',
        attachments: [CardFactory.adaptiveCard(card)],
        conversation: context.activity.conversation,
      });
    });
  }

  /**
   * Runs `logic` in a proactive turn. Errors are caught inside the turn and thrown here: the
   * adapter would otherwise hand them to onTurnError and the caller would see a success.
   */
  private async continueIn(
    target: ConversationTarget,
    logic: (context: TurnContext) => Promise<void>,
  ) {
    const reference = proactiveReference(this.botAppId, target.serviceUrl, target.conversationId);
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        await logic(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}

export function toActivity(message: OutboundMessage): Partial<Activity> {
  const text = message.text === undefined ? undefined : keepAngleBrackets(message.text);
  const activity: Partial<Activity> = message.card
    ? MessageFactory.attachment(CardFactory.adaptiveCard(message.card))
    : MessageFactory.text(text ?? '');
  if (message.card && text) activity.text = text;
  if (message.mentions?.length) {
    activity.entities = message.mentions.map((person) => ({
      type: 'mention',
      text: `<at>${person.name}</at>`,
      mentioned: { id: person.id, name: person.name },
    }));
  }
  return activity;
}

/**
 * Teams reads a message's text as HTML, so "Use: sev <1-4>" or a title such as "Outage <EU>"
 * would lose the bracketed words. They are shown with ‹ › instead; mention tags stay as they are.
 */
export function keepAngleBrackets(text: string): string {
  return text.replace(/<(?!\/?at>)([^<>]*)>/g, '‹$1›');
}
