import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  TelemetryHandler,
  type AuthenticationProvider,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { Logger } from '../logger';
import { GraphRetryHandler, type GraphRetryOptions } from './graph-retry';

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

// The SDK's own list (Constants.GRAPH_URLS): it attaches tokens to these hosts unasked.
const MICROSOFT_GRAPH_HOSTS = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'graph.microsoft.de',
  'microsoftgraph.chinacloudapi.cn',
  'canary.graph.microsoft.com',
]);

export interface GraphClientOptions {
  /** GRAPH_BASE_URL, e.g. https://graph.microsoft.com/v1.0 or http://127.0.0.1:5299/v1.0. */
  baseUrl: string;
  /** 'none' only for the sandbox Graph, which checks no token. */
  auth: 'azure' | 'none';
  logger: Logger;
  retry?: GraphRetryOptions;
  /** Defaults to DefaultAzureCredential when auth is 'azure'. */
  credential?: TokenCredential;
  scopes?: string[];
}

/**
 * Splits GRAPH_BASE_URL into what the SDK calls baseUrl (everything before the version) and
 * defaultVersion, so that `client.api('/teams/x')` lands on `${GRAPH_BASE_URL}/teams/x`.
 */
export function splitGraphBaseUrl(baseUrl: string): { baseUrl: string; defaultVersion: string } {
  const url = new URL(baseUrl);
  const segments = url.pathname.split('/').filter((segment) => segment.length > 0);
  const defaultVersion = segments.pop() ?? '';
  const prefix = segments.length > 0 ? `/${segments.join('/')}` : '';
  return { baseUrl: `${url.origin}${prefix}/`, defaultVersion };
}

/** A Graph client whose middleware chain is the SDK's default with our retry handler in it. */
export function createGraphClient(options: GraphClientOptions): Client {
  const { baseUrl, defaultVersion } = splitGraphBaseUrl(options.baseUrl);
  const host = new URL(options.baseUrl);

  let authProvider: AuthenticationProvider;
  const customHosts = new Set<string>();
  if (options.auth === 'azure') {
    authProvider = new TokenCredentialAuthenticationProvider(
      options.credential ?? new DefaultAzureCredential(),
      { scopes: options.scopes ?? [GRAPH_DEFAULT_SCOPE] },
    );
    // The SDK sends tokens only to Microsoft's Graph hosts or to listed custom hosts (and never
    // over plain http); a configured https stand-in such as a test stub must be listed.
    if (host.protocol === 'https:' && !MICROSOFT_GRAPH_HOSTS.has(host.hostname)) {
      customHosts.add(host.hostname);
      options.logger.warn(
        { graphHost: host.hostname },
        'graph base url is not a Microsoft Graph host; Graph tokens will be sent to it',
      );
    }
  } else {
    authProvider = { getAccessToken: async () => '' };
  }

  // Same order as MiddlewareFactory.getDefaultMiddlewareChain; the SDK links the array.
  return Client.initWithMiddleware({
    baseUrl,
    defaultVersion,
    customHosts: customHosts.size > 0 ? customHosts : undefined,
    middleware: [
      new AuthenticationHandler(authProvider),
      new GraphRetryHandler(options.logger, options.retry),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
  });
}
