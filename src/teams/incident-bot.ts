import { TeamsActivityHandler, TurnContext, type InvokeResponse } from 'botbuilder';
import type { CommandRouter } from '../commands/router';
import type { TurnInfo } from '../commands/turn';
import type { IncidentStore, InstallationStore } from '../incidents/ports';
import type { Logger } from '../logger';
import { userMessageFor } from './error-answers';
import { filesOf, hasFileAttachment } from './file-attachments';
import { handleInvoke } from './invoke-routes';
import { toActivity } from './sender';
import { baseConversationId, buildTurnInfo, cleanTextOf, tenantOf } from './turn-info';

export interface IncidentBotOptions {
  router: CommandRouter;
  store: IncidentStore & InstallationStore;
  allowedTenantIds: string[];
  logger: Logger;
}

/**
 * The Teams face of the bot: checks the tenant, turns activities into TurnInfo and hands them to
 * the router. It holds no incident logic.
 */
export class IncidentBot extends TeamsActivityHandler {
  private readonly allowed: Set<string>;

  constructor(private readonly options: IncidentBotOptions) {
    super();
    this.allowed = new Set(options.allowedTenantIds.map((id) => id.toLowerCase()));
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  async run(context: TurnContext): Promise<void> {
    const tenantId = tenantOf(context);
    const fields = logFields(context, tenantId);
    if (!tenantId || !this.allowed.has(tenantId)) {
      this.options.logger.warn(fields, 'activity refused: tenant not allowed');
      if (context.activity.type === 'invoke') {
        await context.sendActivity({ type: 'invokeResponse', value: { status: 403 } });
      }
      return;
    }

    const started = Date.now();
    await super.run(context);
    this.options.logger.debug({ ...fields, durationMs: Date.now() - started }, 'activity handled');
  }

  protected async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const turn = this.turnOf(context);
    return handleInvoke(context, turn, this.options.router, this.options.logger);
  }

  protected async onConversationUpdateActivity(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
    // Members other than the bot joining, channels being created: nothing to say to anyone.
    if (botAdded) await this.welcomeOnce(context);
  }

  protected async onInstallationUpdateActivity(context: TurnContext): Promise<void> {
    const action = (context.activity.action ?? '').toLowerCase();
    if (action === 'add' || action === 'add-upgrade') await this.welcomeOnce(context);
  }

  private async handleMessage(context: TurnContext) {
    const activity = context.activity;
    const value = activity.value as Record<string, unknown> | undefined;
    const clean = cleanTextOf(context);

    // In a channel the bot only reads posts that @mention it (with RSC it would get them all).
    const inChannel = activity.conversation?.conversationType === 'channel';
    if (!value && inChannel && !clean.botMentioned) return;

    const turn = buildTurnInfo(context, tenantOf(context) ?? '', clean.people, this.options.logger);
    try {
      if (value && typeof value === 'object' && !activity.text) {
        await this.reply(context, await this.options.router.onCardSubmit(turn, value));
        return;
      }
      if (hasFileAttachment(activity.attachments)) {
        const files = filesOf(activity.attachments);
        if (files.length > 0) {
          await this.reply(context, await this.options.router.onFiles(turn, files, clean.text));
          return;
        }
        if (clean.text === '') {
          await this.reply(context, { text: 'That file came without a link I can fetch.' });
          return;
        }
      }
      await this.reply(context, await this.options.router.onText(turn, clean.text));
    } catch (error) {
      const text = userMessageFor(error, this.options.logger, logFields(context, turn.tenantId));
      await context.sendActivity(toActivity({ text }));
    }
  }

  private async reply(context: TurnContext, reply: Awaited<ReturnType<CommandRouter['onText']>>) {
    if (reply) await context.sendActivity(toActivity(reply));
  }

  /** Teams sends both conversationUpdate and installationUpdate for one install: greet once. */
  private async welcomeOnce(context: TurnContext) {
    const channelData = context.activity.channelData as
      { team?: { id?: string; aadGroupId?: string } } | undefined;
    const team = channelData?.team;
    const conversationId = baseConversationId(context.activity.conversation.id);
    // The reference is what later proactive posts start from; a team is known by its group id.
    await this.options.store.saveInstallation({
      key: team?.aadGroupId ? `team:${team.aadGroupId}` : `conversation:${conversationId}`,
      tenantId: tenantOf(context) ?? '',
      reference: TurnContext.getConversationReference(context.activity),
    });

    // The two events of one install disagree on the group id but share the team's thread id.
    const place = team?.id ?? conversationId;
    if (!(await this.options.store.claim(`welcome:${place}`))) return;

    await context.sendActivity(
      toActivity({ text: welcomeText(context.activity.conversation.conversationType) }),
    );
  }

  private turnOf(context: TurnContext): TurnInfo {
    const clean = cleanTextOf(context);
    return buildTurnInfo(context, tenantOf(context) ?? '', clean.people, this.options.logger);
  }
}

/**
 * The greeting, worded for where it is read: in a 1:1 chat every message reaches the bot, while in
 * a channel or group chat Teams delivers only those that @mention it.
 */
export function welcomeText(conversationType: string | undefined): string {
  if (conversationType === 'personal') {
    return (
      'Hi, I run incidents. Type “declare <title> sev2” here to declare one, ' +
      'or “help” for everything I can do.'
    );
  }
  return (
    'Hi, I run incidents here. Mention me with “declare <title> sev2” to declare one, ' +
    'or “help” for everything I can do.'
  );
}

export function logFields(context: TurnContext, tenantId?: string) {
  const activity = context.activity;
  return {
    activityId: activity.id,
    tenantId,
    conversationId: activity.conversation?.id,
    activityType: activity.type,
    invokeName: activity.name,
  };
}
