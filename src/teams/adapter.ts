import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { userMessageFor } from './error-answers';
import { logFields } from './incident-bot';
import { tenantOf } from './turn-info';

const CHANNEL_TOKEN_ISSUER = 'https://api.botframework.com';

/**
 * The Bot Framework adapter. Inbound JWT validation is on unless BOT_AUTH=disabled (refused in
 * production by config.ts): an empty app id is what turns the SDK's validation off.
 */
export function createAdapter(config: Config, logger: Logger): CloudAdapter {
  const authDisabled = config.BOT_AUTH === 'disabled';
  if (authDisabled) {
    logger.warn(
      { botAuth: 'disabled' },
      'BOT AUTHENTICATION IS DISABLED: anyone who can reach /api/messages can drive this bot',
    );
  }

  const settings: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: authDisabled ? '' : config.MicrosoftAppId,
    MicrosoftAppPassword: authDisabled ? '' : config.MicrosoftAppPassword,
    // SingleTenant insists on an app id; with authentication off there is none.
    MicrosoftAppType: authDisabled ? 'MultiTenant' : config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  };
  if (config.BOT_OPENID_METADATA_URL) {
    settings.ToBotFromChannelOpenIdMetadataUrl = config.BOT_OPENID_METADATA_URL;
    settings.ToBotFromChannelTokenIssuer = CHANNEL_TOKEN_ISSUER;
  }

  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings));
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
