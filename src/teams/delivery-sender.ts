import type { Activity, CloudAdapter, TurnContext } from 'botbuilder';
import type { DeliveryTransport } from '../comms/ports';
import type { SendOutcome } from '../comms/delivery';
import { proactiveReference } from './proactive-reference';
import { toActivity } from './sender';

const BOT_FRAMEWORK_AUDIENCE = 'https://api.botframework.com';
/** Status codes worth another try later; every other 4xx is the recipient's final answer. */
const RETRYABLE = new Set([408, 412, 502, 503, 504]);

/** The parts of botframework-connector's ConnectorClient used here. */
interface Connector {
  conversations: {
    sendToConversation(
      conversationId: string,
      activity: Partial<Activity>,
    ): Promise<{ id?: string }>;
    createConversation(parameters: object): Promise<{ id?: string; activityId?: string }>;
  };
  client?: { pipeline?: { removePolicy(options: { name: string }): unknown } };
}

/**
 * Teams sends for the delivery worker. Each call answers with a typed outcome read from the
 * connector's status code, Retry-After header and Teams error code, never from message text.
 *
 * The worker owns retries: the connector client's own retry policy (which would resend a 429
 * or 5xx up to three times inside one call, outside our rate limits) is taken out of the client
 * used here. The adapter's other sends keep it.
 */
export class TeamsDeliverySender implements DeliveryTransport {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  post(target: { serviceUrl: string; conversationId: string }, card: object) {
    return this.withConnector(target.serviceUrl, target.conversationId, async (connector) => {
      const activity = { ...toActivity({ card }), conversation: { id: target.conversationId } };
      const response = await connector.conversations.sendToConversation(
        target.conversationId,
        activity as Partial<Activity>,
      );
      return { kind: 'sent', activityId: response.id ?? '' };
    });
  }

  startThread(target: { serviceUrl: string; tenantId: string; channelId: string }, card: object) {
    return this.withConnector(target.serviceUrl, target.channelId, async (connector) => {
      const response = await connector.conversations.createConversation({
        isGroup: true,
        channelData: { channel: { id: target.channelId }, tenant: { id: target.tenantId } },
        activity: toActivity({ card }),
        tenantId: target.tenantId,
        bot: { id: this.botAppId, name: '' },
        members: [],
      });
      // Teams answers with the thread's id, "<channel>;messageid=<root post id>".
      const conversationId = response.id ?? '';
      const activityId = response.activityId ?? /;messageid=(\d+)/.exec(conversationId)?.[1] ?? '';
      return { kind: 'sent', activityId, conversationId };
    });
  }

  openPersonalChat(target: {
    serviceUrl: string;
    tenantId: string;
    userId: string;
    teamsId?: string;
  }) {
    return this.withConnector(target.serviceUrl, `user:${target.userId}`, async (connector) => {
      // Teams finds the existing 1:1 chat when there is one; it answers 403 where the app is
      // not installed for the user.
      const response = await connector.conversations.createConversation({
        isGroup: false,
        bot: { id: this.botAppId, name: '' },
        members: [{ id: target.teamsId ?? target.userId }],
        tenantId: target.tenantId,
        channelData: { tenant: { id: target.tenantId } },
      });
      return { kind: 'sent', activityId: '', conversationId: response.id ?? '' };
    });
  }

  /**
   * Runs `work` with a connector client for `serviceUrl`. Errors are caught inside the turn:
   * the adapter would otherwise hand them to onTurnError and the caller would never see them.
   */
  private async withConnector(
    serviceUrl: string,
    conversationId: string,
    work: (connector: Connector) => Promise<SendOutcome>,
  ): Promise<SendOutcome> {
    const reference = proactiveReference(this.botAppId, serviceUrl, conversationId);
    let outcome: SendOutcome = { kind: 'retryable', code: 'NoTurn' };
    await this.adapter.continueConversationAsync(
      this.botAppId,
      reference,
      async (context: TurnContext) => {
        const connector = context.turnState.get(this.adapter.ConnectorClientKey) as Connector;
        connector.client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
        try {
          outcome = await work(connector);
        } catch (error) {
          outcome = outcomeOfError(error);
        }
      },
    );
    return outcome;
  }
}

/** Reads a connector RestError: status, Retry-After and the Teams error code of the body. */
export function outcomeOfError(error: unknown): SendOutcome {
  const rest = (error ?? {}) as {
    statusCode?: unknown;
    code?: unknown;
    details?: { error?: { code?: unknown } };
    response?: { headers?: { get?(name: string): string | undefined | null }; bodyAsText?: string };
  };
  const status =
    typeof rest.statusCode === 'number' && rest.statusCode > 0 ? rest.statusCode : undefined;
  const code = teamsCodeOf(rest) ?? (typeof rest.code === 'string' ? rest.code : undefined);
  if (status === undefined) return { kind: 'retryable', code };
  if (status === 429) {
    const ms = retryAfterMs(rest.response?.headers?.get?.('retry-after') ?? null);
    return { kind: 'retry-after', ms: ms ?? 1000, status, code };
  }
  if (RETRYABLE.has(status) || status >= 500) return { kind: 'retryable', status, code };
  return { kind: 'final', status, code };
}

function teamsCodeOf(rest: {
  details?: { error?: { code?: unknown } };
  response?: { bodyAsText?: string };
}): string | undefined {
  const fromDetails = rest.details?.error?.code;
  if (typeof fromDetails === 'string' && fromDetails) return fromDetails;
  try {
    const body = JSON.parse(rest.response?.bodyAsText ?? '') as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}

function retryAfterMs(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
