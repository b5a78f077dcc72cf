/**
 * Throwaway echo bot used to probe the Microsoft 365 Agents Playground (no app code involved).
 * Auth is OFF (empty MicrosoftAppId). Run: npx tsx scripts/playground/echo-bot.ts
 *
 * - message            -> text reply "echo: <text>" + Adaptive Card 1.5 (Action.Execute verb test.press,
 *                         Action.Submit msteams task/fetch)
 * - adaptiveCard/action-> context.updateActivity(replyToId, card "(updateActivity)") then invoke response
 *                         card "(invoke)"
 * - task/fetch         -> dialog with a card; task/submit -> message
 * Every inbound activity is appended as JSON to $ECHO_LOG (default /tmp/pg-echo-activities.jsonl).
 *
 * Admin endpoints (JSON body, answer {ok, result|error}) to probe the emulated connector outside a turn:
 *   POST /admin/new-thread   {channelId, text}          createConversationAsync(isGroup, channelData.channel.id)
 *   POST /admin/send-to-channel {channelId, text}       TeamsInfo.sendMessageToTeamsChannel inside a continued turn
 *   POST /admin/continue     {conversationId, text}     continueConversationAsync(stored ref) + sendActivity
 *   POST /admin/update       {conversationId, activityId, text}  continueConversationAsync + updateActivity(card)
 *   POST /admin/create-1on1  {userId, text}             createConversationAsync(members:[user], tenantId)
 *   GET  /admin/refs                                    stored conversation references
 */
import { appendFileSync } from 'node:fs';
import * as restify from 'restify';
import {
  ActivityTypes,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationReference,
  TeamsInfo,
  TurnContext,
  type Activity,
  type ConversationParameters,
} from 'botbuilder';

const PORT = Number(process.env.ECHO_PORT ?? 3978);
const LOG = process.env.ECHO_LOG ?? '/tmp/pg-echo-activities.jsonl';
const APP_ID = process.env.ECHO_APP_ID ?? '';

const auth = new ConfigurationBotFrameworkAuthentication({
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: '',
  MicrosoftAppType: 'MultiTenant',
} as never);
const adapter = new CloudAdapter(auth);
adapter.onTurnError = async (context, error) => {
  console.error('[echo-bot] turn error', error);
  log({ kind: 'turnError', error: String(error) });
  try {
    await context.sendActivity(`echo-bot error: ${String(error)}`);
  } catch {
    /* ignore */
  }
};

const refs = new Map<string, Partial<ConversationReference>>();

function log(entry: unknown): void {
  appendFileSync(
    LOG,
    JSON.stringify({ at: new Date().toISOString(), ...(entry as object) }) + '\n',
  );
}

function card(title: string, count: number) {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: title, weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: `Count: ${count}`, wrap: true },
    ],
    actions: [
      { type: 'Action.Execute', title: 'Press me', verb: 'test.press', data: { count } },
      {
        type: 'Action.Submit',
        title: 'Open dialog',
        data: { msteams: { type: 'task/fetch' }, what: 'dialog' },
      },
    ],
  };
}

async function logic(context: TurnContext): Promise<void> {
  const a = context.activity;
  log({ kind: 'inbound', activity: a });
  refs.set(a.conversation.id, TurnContext.getConversationReference(a));

  if (a.type === ActivityTypes.Message) {
    if (a.value && !a.text) {
      // Action.Submit without task/fetch
      await context.sendActivity(`submit received: ${JSON.stringify(a.value)}`);
      return;
    }
    const text = TurnContext.removeRecipientMention(a) ?? a.text ?? '';
    const r1 = await context.sendActivity(`echo: ${text.trim()}`);
    const r2 = await context.sendActivity({
      attachments: [CardFactory.adaptiveCard(card(`Echo card: ${text.trim()}`, 0))],
    });
    log({ kind: 'sent', r1, r2 });
    return;
  }

  if (a.type === ActivityTypes.Invoke && a.name === 'adaptiveCard/action') {
    const value = a.value as { action?: { verb?: string; data?: { count?: number } } };
    const count = (value.action?.data?.count ?? 0) + 1;
    if (a.replyToId) {
      try {
        const upd = await context.updateActivity({
          id: a.replyToId,
          type: 'message',
          attachments: [
            CardFactory.adaptiveCard(card(`Pressed by ${a.from.name} (updateActivity)`, count)),
          ],
        });
        log({ kind: 'updateActivity', ok: true, upd });
      } catch (e) {
        log({ kind: 'updateActivity', ok: false, error: String(e) });
      }
    }
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: {
        status: 200,
        body: {
          statusCode: 200,
          type: 'application/vnd.microsoft.card.adaptive',
          value: card(`Pressed by ${a.from.name} (invoke) verb=${value.action?.verb}`, count),
        },
      },
    });
    return;
  }

  if (a.type === ActivityTypes.Invoke && a.name === 'task/fetch') {
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: {
        status: 200,
        body: {
          task: {
            type: 'continue',
            value: {
              title: 'Echo dialog',
              height: 'medium',
              width: 'medium',
              card: CardFactory.adaptiveCard({
                type: 'AdaptiveCard',
                version: '1.5',
                body: [
                  { type: 'TextBlock', text: 'Dialog body from task/fetch', wrap: true },
                  { type: 'Input.Text', id: 'note', label: 'Note', placeholder: 'type a note' },
                ],
                actions: [{ type: 'Action.Submit', title: 'Save note' }],
              }),
            },
          },
        },
      },
    });
    return;
  }

  if (a.type === ActivityTypes.Invoke && a.name === 'task/submit') {
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: {
        status: 200,
        body: { task: { type: 'message', value: `saved: ${JSON.stringify(a.value)}` } },
      },
    });
    await context.sendActivity(`task/submit received: ${JSON.stringify(a.value)}`);
    return;
  }

  if (a.type === ActivityTypes.Invoke) {
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: { status: 200, body: {} },
    });
  }
}

const server = restify.createServer();
server.use(restify.plugins.bodyParser());

server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, logic);
});

type Handler = (body: Record<string, string>) => Promise<unknown>;
function admin(path: string, handler: Handler) {
  server.post(path, async (req: restify.Request, res: restify.Response) => {
    try {
      const result = await handler((req.body ?? {}) as Record<string, string>);
      log({ kind: 'admin', path, ok: true, result });
      res.send(200, { ok: true, result });
    } catch (e) {
      const err = e as { message?: string; statusCode?: number; details?: unknown };
      log({ kind: 'admin', path, ok: false, error: String(e), statusCode: err.statusCode });
      res.send(200, { ok: false, error: String(e), statusCode: err.statusCode });
    }
  });
}

function anyRef(): Partial<ConversationReference> {
  const r = [...refs.values()][0];
  if (!r) throw new Error('no conversation reference yet; talk to the bot first');
  return r;
}

function teamRef(): Partial<ConversationReference> {
  const r =
    [...refs.values()].find((x) => x.conversation?.conversationType === 'channel') ?? anyRef();
  return r;
}

admin('/admin/new-thread', async (b) => {
  const r = teamRef();
  const params = {
    isGroup: true,
    bot: r.bot,
    tenantId: r.conversation?.tenantId,
    channelData: { channel: { id: b.channelId }, tenant: { id: r.conversation?.tenantId } },
    activity: { type: 'message', text: b.text ?? 'proactive new thread' },
  } as unknown as ConversationParameters;
  let created: Partial<Activity> | undefined;
  await adapter.createConversationAsync(
    APP_ID,
    'msteams',
    r.serviceUrl!,
    '',
    params,
    async (ctx) => {
      created = ctx.activity;
    },
  );
  return {
    conversationId: created?.conversation?.id,
    activityId: (created as { id?: string })?.id,
  };
});

admin('/admin/send-to-channel', async (b) => {
  const r = teamRef();
  let out: unknown;
  await adapter.continueConversationAsync(APP_ID, r, async (ctx) => {
    out = await TeamsInfo.sendMessageToTeamsChannel(
      ctx,
      { type: 'message', text: b.text ?? 'sendMessageToTeamsChannel' } as Activity,
      b.channelId,
      APP_ID || 'no-app-id',
    );
  });
  return out;
});

admin('/admin/continue', async (b) => {
  const r = refs.get(b.conversationId) ?? {
    ...anyRef(),
    conversation: { ...anyRef().conversation!, id: b.conversationId },
  };
  let res: unknown;
  await adapter.continueConversationAsync(APP_ID, r, async (ctx) => {
    res = await ctx.sendActivity(b.text ?? 'proactive continue');
  });
  return res;
});

admin('/admin/update', async (b) => {
  const r = refs.get(b.conversationId) ?? {
    ...anyRef(),
    conversation: { ...anyRef().conversation!, id: b.conversationId },
  };
  let res: unknown;
  await adapter.continueConversationAsync(APP_ID, r, async (ctx) => {
    res = await ctx.updateActivity({
      id: b.activityId,
      type: 'message',
      attachments: [CardFactory.adaptiveCard(card(b.text ?? 'updated proactively', 99))],
    });
  });
  return res ?? 'updated';
});

admin('/admin/create-1on1', async (b) => {
  const r = anyRef();
  const params = {
    isGroup: false,
    bot: r.bot,
    members: [{ id: b.userId }],
    tenantId: r.conversation?.tenantId,
    channelData: { tenant: { id: r.conversation?.tenantId } },
    activity: b.text ? { type: 'message', text: b.text } : undefined,
  } as unknown as ConversationParameters;
  let created: Partial<Activity> | undefined;
  await adapter.createConversationAsync(
    APP_ID,
    'msteams',
    r.serviceUrl!,
    '',
    params,
    async (ctx) => {
      created = ctx.activity;
      if (!b.text) await ctx.sendActivity('hello from create-1on1');
    },
  );
  return { conversationId: created?.conversation?.id };
});

server.get('/admin/refs', async (_req: restify.Request, res: restify.Response) => {
  res.send(200, Object.fromEntries(refs));
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`echo-bot listening on http://127.0.0.1:${PORT}/api/messages (log ${LOG})`);
});
