import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger';
import { requestKey, type GraphFixture } from './graph-fixture';
import { createHold, type Hold, type HeldRequests } from './held-requests';
import { graphError, routeGraphRequest, type SandboxAnswer } from './sandbox-routes';
import { createSandboxState, type SandboxState } from './sandbox-state';
import { SANDBOX_SEED, type SandboxSeed } from './seed-tenant';

export interface RecordedRequest {
  method: string;
  /** Decoded path without the query, e.g. /v1.0/teams/{id}/channels. */
  path: string;
  /** The raw query string with its leading '?', or ''. */
  query: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** The status the sandbox answered. */
  status?: number;
}

/** Makes requests whose method matches and whose path matches `path` get a canned answer. */
export interface FaultRule {
  method: string;
  /** A RegExp tested against the decoded path, or an exact path such as /v1.0/users/x. */
  path: RegExp | string;
  status: number;
  /** Default: a Graph error envelope with a code derived from the status. */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many requests it answers; default forever. */
  times?: number;
}

export interface SandboxGraphOptions {
  /** 0 or absent picks a free port. */
  port?: number;
  seed?: SandboxSeed;
  faults?: FaultRule[];
  logger?: Logger;
}

export interface SandboxGraph {
  /** Base URL to use as GRAPH_BASE_URL, e.g. http://127.0.0.1:5299/v1.0. */
  url: string;
  state: SandboxState;
  requests: RecordedRequest[];
  /** The next matching request gets `status` and `body`. */
  failNext(method: string, path: RegExp | string, status: number, body?: unknown): void;
  /** Every matching request gets `status` and `body` until clearFaults(). */
  failAlways(method: string, path: RegExp | string, status: number, body?: unknown): void;
  addFault(rule: FaultRule): void;
  /**
   * Answers the next request matching the fixture's method and path (host ignored, query order
   * ignored) with the recorded status, headers and body. `method`/`path` replay it elsewhere.
   */
  serveFixture(
    fixture: GraphFixture,
    options?: { method?: string; path?: RegExp | string; times?: number },
  ): void;
  /** Keeps matching requests unanswered until `release()`; they then get their normal answer. */
  hold(method: string, path: RegExp | string): HeldRequests;
  /** Removes every fault and fixture, and lets held requests go. */
  clearFaults(): void;
  close(): Promise<void>;
}

interface ActiveRule {
  /** `target` is the raw request target, path and query still encoded. */
  matches(method: string, path: string, target: string): boolean;
  answer: SandboxAnswer;
  /** Headers exactly as given: recorded fixtures must not gain request ids they never had. */
  verbatim: boolean;
  remaining: number;
}

const MAX_BODY_BYTES = 1_000_000;

/** A local stand-in for the part of Microsoft Graph the bot calls, over a fictional tenant. */
export async function startSandboxGraph(options: SandboxGraphOptions = {}): Promise<SandboxGraph> {
  const state = createSandboxState(options.seed ?? SANDBOX_SEED);
  const requests: RecordedRequest[] = [];
  let rules: ActiveRule[] = [];
  let holds: Hold[] = [];
  const releaseHolds = () => {
    holds.forEach((hold) => hold.release());
    holds = [];
  };

  const addFault = (rule: FaultRule) => {
    const method = rule.method.toUpperCase();
    rules.push({
      matches: (m, path) => m === method && pathMatches(rule.path, path),
      answer: { status: rule.status, body: rule.body, headers: rule.headers },
      verbatim: false,
      remaining: rule.times ?? Infinity,
    });
  };
  options.faults?.forEach(addFault);

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      options.logger?.error({ err: error }, 'sandbox graph failed to answer');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = safeDecode(url.pathname);
    const requestId = randomUUID();
    const text = await readBody(req);
    const body = text === undefined ? { ok: false as const } : parseJson(text);
    const record: RecordedRequest = {
      method,
      path,
      query: url.search,
      headers: req.headers,
      body: body.ok ? body.value : text,
    };
    requests.push(record);
    // Held before the route runs, so that what the request changes happens only when let go.
    await holds.find((hold) => hold.matches(method, path))?.wait();

    let answer: SandboxAnswer;
    let verbatim = false;
    const target = req.url ?? '/';
    const rule = rules.find((r) => r.remaining > 0 && r.matches(method, path, target));
    if (rule) {
      rule.remaining--;
      ({ answer, verbatim } = rule);
      if (answer.body === undefined && answer.status >= 400) {
        answer = { ...answer, ...defaultError(answer.status, requestId) };
      }
    } else if (text === undefined) {
      answer = graphError(413, 'RequestEntityTooLarge', 'Body too large.', requestId);
    } else if (!body.ok) {
      answer = graphError(400, 'BadRequest', 'The body is not valid JSON.', requestId);
    } else {
      answer = routeGraphRequest(state, {
        method,
        path,
        query: url.searchParams,
        baseUrl: `http://${req.headers.host ?? '127.0.0.1'}/v1.0`,
        body: body.value,
        requestId,
      });
    }

    record.status = answer.status;
    options.logger?.debug({ method, path, status: answer.status }, 'sandbox graph answered');
    send(res, answer, verbatim ? undefined : requestId);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1.0`,
    state,
    requests,
    addFault,
    failNext: (method, path, status, body) => addFault({ method, path, status, body, times: 1 }),
    failAlways: (method, path, status, body) => addFault({ method, path, status, body }),
    serveFixture(fixture, serveOptions = {}) {
      const method = (serveOptions.method ?? fixture.request.method).toUpperCase();
      const key = requestKey(fixture.request.url);
      const override = serveOptions.path;
      rules.push({
        matches: (m, path, target) =>
          m === method &&
          (override === undefined ? requestKey(target) === key : pathMatches(override, path)),
        answer: { status: fixture.status, body: fixture.body, headers: fixture.headers },
        verbatim: true,
        remaining: serveOptions.times ?? 1,
      });
    },
    hold(method, path) {
      const hold = createHold(method, (decoded) => pathMatches(path, decoded));
      holds.push(hold);
      return hold;
    },
    clearFaults: () => {
      rules = [];
      releaseHolds();
    },
    close: () =>
      new Promise<void>((resolve) => {
        releaseHolds();
        server.close(() => resolve());
        // fetch keeps connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, answer: SandboxAnswer, requestId?: string): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers ?? {})) {
    // The recorded length and encoding belong to the recorded bytes, not to ours.
    if (!/^(content-length|transfer-encoding|connection|content-encoding)$/i.test(name)) {
      headers[name] = value;
    }
  }
  const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
  if (requestId && !has('request-id')) headers['request-id'] = requestId;
  if (requestId && !has('client-request-id')) headers['client-request-id'] = requestId;

  const hasBody = answer.body !== undefined && answer.status !== 204;
  if (hasBody && !has('content-type')) headers['content-type'] = 'application/json';
  res.writeHead(answer.status, headers);
  res.end(hasBody ? JSON.stringify(answer.body) : undefined);
}

function defaultError(status: number, requestId: string): SandboxAnswer {
  const codes: Record<number, string> = {
    400: 'BadRequest',
    401: 'InvalidAuthenticationToken',
    403: 'Forbidden',
    404: 'NotFound',
    409: 'Conflict',
    429: 'TooManyRequests',
    503: 'ServiceNotAvailable',
    504: 'GatewayTimeout',
  };
  const code = codes[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequest');
  return graphError(status, code, `Injected ${status} from the sandbox.`, requestId);
}

function pathMatches(pattern: RegExp | string, path: string): boolean {
  return typeof pattern === 'string' ? pattern.replace(/\/+$/, '') === path : pattern.test(path);
}

/** The body as text, or undefined when it is larger than the sandbox accepts. */
async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
