import {
  CallerIdConstants,
  type Request,
  type Response,
  type TurnContext,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Config } from '../config';
import { CachedConnectorAuthentication } from './cached-connectors';
import type { Logger } from '../logger';
import { userMessageFor } from './error-answers';
import { logFields } from './incident-bot';
import { serveActivity } from './messages-endpoint';
import { tenantOf } from './turn-info';

/**
 * The public cloud's Bot Framework endpoints (the SDK's AuthenticationConstants). Naming any one
 * endpoint switches the SDK to its "parameterized" mode, where every endpoint left out is empty:
 * outbound calls then fail to get a token ("empty_url_error"). So overriding where the channel's
 * signing keys come from means naming all the others too.
 */
const PUBLIC_CLOUD_ENDPOINTS = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: CallerIdConstants.PublicAzureChannel,
  ValidateAuthority: true,
} satisfies ConfigurationBotFrameworkAuthenticationOptions;

/**
 * The Bot Framework adapter. Inbound JWT validation is on unless BOT_AUTH=disabled (refused in
 * production by config.ts): an empty app id is what turns the SDK's validation off. Its connector
 * clients are shared between turns and sends (see cached-connectors.ts).
 */
export function createAdapter(config: Config, logger: Logger): CloudAdapter {
  if (config.BOT_AUTH === 'disabled') {
    logger.warn(
      { botAuth: 'disabled' },
      'BOT AUTHENTICATION IS DISABLED: anyone who can reach /api/messages can drive this bot',
    );
  }

  const adapter = new CloudAdapter(
    new CachedConnectorAuthentication(
      new ConfigurationBotFrameworkAuthentication(settings(config)),
    ),
  );
  adapter.onTurnError = async (context, error) => {
    const text = userMessageFor(error, logger, logFields(context, tenantOf(context)));
    try {
      if (context.activity.type === 'message') await context.sendActivity(text);
    } catch (sendError) {
      logger.warn({ err: sendError }, 'could not tell the user about an error');
    }
  };
  return adapter;
}

/**
 * An adapter for stakeholder delivery only: it never serves a request, and each send gets a
 * connector client of its own, because the delivery sender takes the client's retry policy out
 * (the delivery worker does its own retries) and that must not reach other sends.
 */
export function createDeliveryAdapter(config: Config): CloudAdapter {
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings(config)));
}

function settings(config: Config): ConfigurationBotFrameworkAuthenticationOptions {
  const authDisabled = config.BOT_AUTH === 'disabled';
  const settings: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: authDisabled ? '' : config.MicrosoftAppId,
    MicrosoftAppPassword: authDisabled ? '' : config.MicrosoftAppPassword,
    // SingleTenant insists on an app id; with authentication off there is none.
    MicrosoftAppType: authDisabled ? 'MultiTenant' : config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  };
  if (config.BOT_OPENID_METADATA_URL) {
    Object.assign(settings, PUBLIC_CLOUD_ENDPOINTS, {
      ToBotFromChannelOpenIdMetadataUrl: config.BOT_OPENID_METADATA_URL,
    });
  }
  return settings;
}

/** The adapter type, for composition code outside this folder. */
export type BotAdapter = CloudAdapter;

/** Serves POST /api/messages: authenticate, then run the bot. */
export type MessagesEndpoint = (req: Request, res: Response) => Promise<void>;

export function messagesEndpoint(
  adapter: CloudAdapter,
  bot: { run(context: TurnContext): Promise<void> },
  logger: Logger,
): MessagesEndpoint {
  // Not adapter.process(): it answers 500 to a forged token (see serveActivity).
  return (req, res) => serveActivity(adapter, req, res, (context) => bot.run(context), logger);
}
