import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../logger';
import type { GraphOutcome } from '../security/ports';
import { graphErrorDetails } from './graph-errors';
import { RetryPolicy } from './graph-retry';

/** A person waits on the card while containment runs: each call gets at most this much retrying. */
const WRITE_RETRY_BUDGET_MS = 10_000;

/**
 * Sends a write and reports what Graph really answered instead of throwing: the status, the
 * error code and the request id. Any 2xx is success, with or without a body (revoke answers
 * 200 `{value:true}` as well as 204). The write is marked repeatable: every call made through
 * here (account enabled flag, revoke, risk state) ends in the same state when sent twice.
 */
export async function sendWrite(
  client: Client,
  logger: Logger,
  method: 'PATCH' | 'POST',
  path: string,
  body: object,
): Promise<GraphOutcome> {
  const request = client
    .api(path)
    .responseType(ResponseType.RAW)
    .middlewareOptions([
      new RetryPolicy({ repeatableWrite: true, maxTotalDelayMs: WRITE_RETRY_BUDGET_MS }),
    ]);

  let response: Response;
  try {
    response = (await (method === 'PATCH' ? request.patch(body) : request.post(body))) as Response;
  } catch (error) {
    // No HTTP answer (network, token) or the SDK refused: the state of the account is unknown.
    const details = graphErrorDetails(error);
    logger.warn({ err: error, status: details.status }, 'graph write failed without an answer');
    return { ok: false, ...details };
  }

  const requestId = response.headers.get('request-id') ?? undefined;
  if (response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: true, status: response.status, requestId };
  }
  const errorBody = await response.json().catch(() => undefined);
  const details = graphErrorDetails({ statusCode: response.status, body: errorBody });
  return {
    ok: false,
    status: response.status,
    code: details.code,
    requestId: requestId ?? details.requestId,
  };
}
