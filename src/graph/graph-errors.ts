import { DependencyError } from '../errors';
import { parseRetryAfter } from './graph-retry';

export interface GraphErrorDetails {
  status?: number;
  code?: string;
  requestId?: string;
}

interface GraphErrorLike {
  statusCode?: unknown;
  code?: unknown;
  requestId?: unknown;
  body?: unknown;
  headers?: unknown;
}

/**
 * Status, Graph error code and request id of a failed Graph call.
 *
 * The SDK's GraphError keeps `body` as the JSON text of the inner `error` object, while hand-made
 * or older errors may carry the whole `{error:{…}}` envelope, so both are read.
 */
export function graphErrorDetails(error: unknown): GraphErrorDetails {
  if (typeof error !== 'object' || error === null) return {};
  const graphError = error as GraphErrorLike;
  const statusCode = graphError.statusCode;
  // -1 means no HTTP answer came (network, token); `code` then holds a JS error name.
  if (typeof statusCode !== 'number' || statusCode <= 0) return {};

  const inner = innerErrorOf(graphError.body);
  const requestId =
    stringOrUndefined(graphError.requestId) ??
    stringOrUndefined(inner?.innerError?.['request-id']) ??
    stringOrUndefined(inner?.innerError?.['client-request-id']) ??
    headerOf(graphError.headers, 'request-id') ??
    headerOf(graphError.headers, 'client-request-id');
  const code = stringOrUndefined(graphError.code) ?? stringOrUndefined(inner?.code);
  return { status: statusCode, code, requestId };
}

/** How long a failed Graph call (a 429, or a 503 that says) asks to wait, in ms. */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const header = headerOf((error as GraphErrorLike).headers, 'retry-after');
  return parseRetryAfter(header ?? null);
}

export interface GraphErrorContext {
  /** The application permission the call needs, named to the user on 401 and 403. */
  permission?: string;
}

/** A DependencyError whose message can be shown to a user: no Graph JSON, no Graph message. */
export function toDependencyError(
  error: unknown,
  action: string,
  context: GraphErrorContext = {},
): DependencyError {
  const details = graphErrorDetails(error);
  return new DependencyError(messageFor(details.status, action, context), 'graph', details, {
    cause: error,
  });
}

/**
 * A Graph read of one thing: its body, or undefined when Graph answers 404 (the account, user or
 * incident does not exist, or no longer does). Any other failure is a DependencyError.
 */
export async function readUnlessMissing(
  read: () => Promise<unknown>,
  action: string,
  context: GraphErrorContext = {},
): Promise<unknown> {
  try {
    return await read();
  } catch (error) {
    if (graphErrorDetails(error).status === 404) return undefined;
    throw toDependencyError(error, action, context);
  }
}

function messageFor(
  status: number | undefined,
  action: string,
  { permission }: GraphErrorContext,
): string {
  if (status === undefined) return `Could not reach Microsoft Graph to ${action}.`;
  if ((status === 401 || status === 403) && permission) {
    return (
      `The bot is not allowed to ${action} (Microsoft Graph answered ${status}): the app needs ` +
      `the Microsoft Graph application permission ${permission}, with admin consent.`
    );
  }
  if (status === 401 || status === 403) {
    return `The bot is not allowed to ${action} (Microsoft Graph answered ${status}).`;
  }
  if (status === 404) return `Microsoft Graph could not find what is needed to ${action}.`;
  if (status === 429) return `Microsoft Graph is throttling the bot; could not ${action}.`;
  if (status >= 500) return `Microsoft Graph is failing (${status}); could not ${action}.`;
  return `Microsoft Graph refused to ${action} (${status}).`;
}

interface InnerError {
  code?: unknown;
  innerError?: Record<string, unknown>;
}

function innerErrorOf(body: unknown): InnerError | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const envelope = value as { error?: unknown };
  const inner =
    typeof envelope.error === 'object' && envelope.error !== null ? envelope.error : value;
  return inner as InnerError;
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return stringOrUndefined(entry?.[1]);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
