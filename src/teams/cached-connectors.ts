import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import { LRUCache } from 'lru-cache';
import type { Activity } from 'botbuilder';

/**
 * How many connector clients (one per app id, service URL and audience) are kept. Teams uses a
 * handful of regional service URLs; the bound only matters if something sends many distinct ones.
 */
const MAX_CLIENTS = 64;

/**
 * Bot Framework authentication that reuses the outbound clients the SDK would build again for
 * every inbound activity. CloudAdapter asks for a new ConnectorClient and a new UserTokenClient on
 * each turn, and each one assembles an HTTP pipeline and credentials: on a card button press that
 * was the largest single cost in the SDK (see `npm run bench`). The clients hold no per-turn
 * state, so one per app id, service URL and audience serves every turn.
 *
 * Proactive sends (continueConversationAsync, through `createConnectorFactory`) share them too:
 * the summary card is edited up to once a second per incident. Whoever changes a client it is
 * given (the delivery sender removes the retry policy) must use an adapter without this class
 * (createDeliveryAdapter).
 */
export class CachedConnectorAuthentication extends BotFrameworkAuthentication {
  private readonly connectors = new LRUCache<string, Promise<ConnectorClient>>({
    max: MAX_CLIENTS,
  });
  private readonly userTokenClients = new LRUCache<string, Promise<UserTokenClient>>({
    max: MAX_CLIENTS,
  });

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader);
    const shared =
      result.connectorFactory && this.sharedFactory(result.connectorFactory, result.claimsIdentity);
    return { ...result, connectorFactory: shared };
  }

  async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
    const shared =
      result.connectorFactory && this.sharedFactory(result.connectorFactory, result.claimsIdentity);
    return { ...result, connectorFactory: shared };
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.sharedFactory(this.inner.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const key = appIdOf(claimsIdentity);
    return remember(this.userTokenClients, key, () =>
      this.inner.createUserTokenClient(claimsIdentity),
    );
  }

  createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private sharedFactory(inner: ConnectorFactory, claims: ClaimsIdentity): ConnectorFactory {
    const appId = appIdOf(claims);
    const connectors = this.connectors;
    return new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        const key = `${appId}|${serviceUrl}|${audience ?? ''}`;
        return remember(connectors, key, () => inner.create(serviceUrl, audience));
      }
    })();
  }
}

/** The bot's own app id as the SDK reads it from the claims (empty with authentication off). */
function appIdOf(claims: ClaimsIdentity): string {
  return (
    claims.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claims.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

/** A failed creation is forgotten, so the next turn tries again instead of failing forever. */
function remember<T extends object>(
  cache: LRUCache<string, Promise<T>>,
  key: string,
  create: () => Promise<T>,
) {
  const known = cache.get(key);
  if (known) return known;

  const created = create();
  created.catch(() => cache.delete(key));
  cache.set(key, created);
  return created;
}
