/**
 * Child process: the reference. A bare botbuilder bot, as small as a Teams bot gets: CloudAdapter
 * with authentication off, restify 11 with a body parser, and a TeamsActivityHandler that answers
 * every Action.Execute with a small Adaptive Card. No store, no logging, no outbound calls.
 */
import type { AddressInfo } from 'node:net';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type TurnContext,
} from 'botbuilder';
import restify from 'restify';
import { failChild, onParentStop } from './children';

class BareBot extends TeamsActivityHandler {
  protected async onAdaptiveCardInvoke(
    _context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const data = (invokeValue.action.data ?? {}) as Record<string, unknown>;
    return {
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: {
        type: 'AdaptiveCard',
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        version: '1.5',
        body: [
          { type: 'TextBlock', text: `Status: ${String(data.status ?? 'unknown')}`, wrap: true },
        ],
        actions: [
          {
            type: 'Action.Execute',
            title: 'Investigating',
            verb: invokeValue.action.verb,
            data: { incidentId: data.incidentId, status: 'investigating' },
          },
        ],
      },
    };
  }
}

async function main() {
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      MicrosoftAppType: 'MultiTenant',
    }),
  );
  const bot = new BareBot();

  const server = restify.createServer({ name: 'bare-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // Exit without waiting for the load generator's keep-alive sockets to close.
  onParentStop(async () => undefined);
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}` });
}

main().catch(failChild);
