import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  method: string;
  /** Decoded path, e.g. /v3/conversations/19:abc@thread.skype;messageid=1/activities */
  path: string;
  conversationId?: string;
  activityId?: string;
  body: any;
  /** The status the fake answered with, and its body. */
  status?: number;
  response?: any;
}

/** A canned answer; `headers` such as Retry-After are sent as given. */
export interface ConnectorAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RosterMember {
  id: string;
  name: string;
  aadObjectId: string;
}

/**
 * Stands in for the Teams connector at an activity's serviceUrl: records what the bot sends and
 * answers like Teams does (ids for new posts, the thread id for a new channel conversation).
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  readonly roster = new Map<string, RosterMember>();
  /** Channel ids for which creating a conversation fails, as the Playground does for unknown ones. */
  readonly unknownChannels = new Set<string>();
  /** Consulted first for every call; an answer it gives replaces the normal one (faults, 429s). */
  intercept?: (call: ConnectorCall) => ConnectorAnswer | undefined;
  private server?: Server;
  private nextId = 1_700_000_000_000;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ call, answer }) => {
        call.status = answer.status;
        call.response = answer.body;
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body ?? {}));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Messages (not updates) the bot sent, with their cards and text. */
  sent(): ConnectorCall[] {
    return this.calls.filter(
      (call) => call.method === 'POST' && /\/activities(\/[^/]+)?$/.test(call.path),
    );
  }

  updates(): ConnectorCall[] {
    return this.calls.filter((call) => call.method === 'PUT');
  }

  created(): ConnectorCall[] {
    return this.calls.filter((call) => call.method === 'POST' && call.path === '/v3/conversations');
  }

  /** Waits until `predicate` holds over the recorded calls (background sends land later). */
  async waitFor(predicate: (calls: ConnectorCall[]) => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      if (Date.now() > deadline) throw new Error('the expected connector call never came');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ call: ConnectorCall; answer: ConnectorAnswer }> {
    const raw = await readBody(req);
    const body = raw ? JSON.parse(raw) : undefined;
    const path = decodeURIComponent((req.url ?? '').split('?')[0]);
    const match = /^\/v3\/conversations\/([^/]+)(?:\/(activities|members)(?:\/([^/]+))?)?/.exec(
      path,
    );
    const call: ConnectorCall = {
      method: req.method ?? 'GET',
      path,
      conversationId: match?.[1],
      activityId: match?.[3],
      body,
    };
    this.calls.push(call);
    return { call, answer: this.intercept?.(call) ?? this.answer(req, path, body, match) };
  }

  private answer(
    req: IncomingMessage,
    path: string,
    body: any,
    match: RegExpExecArray | null,
  ): ConnectorAnswer {
    // The Agents Playground's connector answers 400 to a conversation sent with an empty type.
    if (body?.conversation?.conversationType === '') {
      return { status: 400, body: { error: { code: 'BadArgument', message: 'Invalid input' } } };
    }
    if (req.method === 'POST' && path === '/v3/conversations') {
      const channelId = body?.channelData?.channel?.id as string | undefined;
      if (channelId && this.unknownChannels.has(channelId)) {
        return { status: 404, body: { error: { code: 'ConversationNotFound', message: 'gone' } } };
      }
      const id = String(this.nextId++);
      return {
        status: 201,
        body: { id: `${channelId ?? 'a:chat'};messageid=${id}`, activityId: id },
      };
    }
    if (match?.[2] === 'members' && match[3]) {
      const member = this.roster.get(match[3]);
      return member
        ? { status: 200, body: member }
        : { status: 404, body: { error: { code: 'MemberNotFound' } } };
    }
    if (match?.[2] === 'activities') {
      return {
        status: 200,
        body: { id: match[3] && req.method === 'PUT' ? match[3] : String(this.nextId++) },
      };
    }
    return { status: 404, body: {} };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
