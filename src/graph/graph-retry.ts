import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../logger';

export interface GraphRetryOptions {
  /** Retries after the first attempt; default 3. */
  maxRetries?: number;
  /** First backoff step when Graph sends no Retry-After; doubles per retry. Default 1000. */
  baseDelayMs?: number;
  /** Longest single wait; a Retry-After above it ends the retries. Default 30 000. */
  maxDelayMs?: number;
  /** Budget for all waits of one request together. Default 60 000. */
  maxTotalDelayMs?: number;
  /** Tests pass a recorder that does not really wait. */
  sleep?: (ms: number) => Promise<void>;
}

const THROTTLED_OR_UNAVAILABLE = new Set([429, 503]);
const SERVER_ERRORS = new Set([500, 502, 503, 504]);
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * Per-request retry rules (`.middlewareOptions([new RetryPolicy(…)])`). A write that is safe to
 * repeat (disable an account, revoke sessions, confirm a risk) may also be retried after any 5xx,
 * and a request made while a person waits for the card gets a smaller budget.
 */
export class RetryPolicy implements MiddlewareOptions {
  constructor(
    readonly options: {
      repeatableWrite?: boolean;
      maxTotalDelayMs?: number;
      /** Fewer retries than the handler's; 0 when the caller retries on its own schedule. */
      maxRetries?: number;
    } = {},
  ) {}
}

/**
 * Retries 429/503/504 from Graph, honouring Retry-After (and every 5xx of a write marked
 * repeatable with RetryPolicy).
 *
 * Replaces the SDK's RetryHandler in the chain because that one sleeps for Retry-After exactly
 * whatever its options say (tests cannot make it fast), keeps waiting the same second when Graph
 * repeats `Retry-After: 1` under sustained throttling, and has no budget across retries.
 */
export class GraphRetryHandler implements Middleware {
  private next?: Middleware;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxTotalDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly logger: Logger,
    options: GraphRetryOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxTotalDelayMs = options.maxTotalDelayMs ?? 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error('GraphRetryHandler needs a next middleware');
    const policy = context.middlewareControl?.getMiddlewareOptions(RetryPolicy) as
      RetryPolicy | undefined;
    const budget = Math.min(this.maxTotalDelayMs, policy?.options.maxTotalDelayMs ?? Infinity);
    const maxRetries = Math.min(this.maxRetries, policy?.options.maxRetries ?? Infinity);
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      await this.next.execute(context);
      const response = context.response;
      if (!response || attempt > maxRetries) return;
      if (!isRetryable(context, response, policy?.options.repeatableWrite === true)) return;

      const delayMs = this.delayFor(response, attempt);
      if (delayMs > this.maxDelayMs || waited + delayMs > budget) return;
      waited += delayMs;

      this.logger.warn(
        {
          status: response.status,
          attempt,
          delayMs,
          graphRequestId: response.headers.get('request-id') ?? undefined,
        },
        'graph request refused for now; retrying',
      );
      // Free the connection of the refused answer before asking again.
      await response.body?.cancel().catch(() => undefined);
      setHeader(context, 'Retry-Attempt', String(attempt));
      await this.sleep(delayMs);
    }
  }

  private delayFor(response: Response, attempt: number): number {
    const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    const jittered = backoff * (0.5 + Math.random() / 2);
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    if (retryAfter === undefined) return Math.round(jittered);
    // Retry-After alone is honoured first; later retries also back off, because Graph keeps
    // sending the same small value while a tenant stays throttled.
    return Math.round(attempt === 1 ? retryAfter : Math.max(retryAfter, jittered));
  }
}

function isRetryable(context: Context, response: Response, repeatableWrite: boolean): boolean {
  const method = (context.options?.method ?? 'GET').toUpperCase();
  const body = context.options?.body;
  // A streamed body is gone after the first attempt.
  const replayable = body == null || typeof body === 'string' || body instanceof Uint8Array;
  if (!replayable) return false;
  if (THROTTLED_OR_UNAVAILABLE.has(response.status)) return true;
  if (repeatableWrite && SERVER_ERRORS.has(response.status)) return true;
  // A gateway timeout may come after Graph did the work; repeating a POST could create a second
  // war-room channel, so only idempotent calls are retried on 504.
  return response.status === 504 && IDEMPOTENT_METHODS.has(method);
}

/** Retry-After in ms, from seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function setHeader(context: Context, name: string, value: string): void {
  if (!context.options) return;
  const headers = context.options.headers;
  if (headers instanceof Headers) headers.set(name, value);
  else if (headers === undefined || !Array.isArray(headers)) {
    context.options.headers = { ...(headers ?? {}), [name]: value };
  }
}
