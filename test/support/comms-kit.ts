import type { ConnectorCall, FakeConnector } from './fake-connector';
import { channelCommand, FIXTURE_TENANTS, loadTeamsFixture } from './bot-harness';

export const COMMS_TENANT = FIXTURE_TENANTS[0];
export const STAKEHOLDER_CHANNEL = '19:stakeholders0000000000000000000@thread.tacv2';

/** Settings that make the delivery worker quick enough for tests. */
export const FAST_DELIVERY = {
  STAKEHOLDER_CHANNEL_ID: STAKEHOLDER_CHANNEL,
  DELIVERY_POLL_MS: '20',
  DELIVERY_RETRY_BASE_MS: '20',
  DELIVERY_RETRY_MAX_MS: '200',
};

/** The Follow verb marks a stakeholder card; the war-room card has none. */
export function isStakeholderPost(call: ConnectorCall): boolean {
  if (call.method !== 'POST') return false;
  const activity = call.path === '/v3/conversations' ? call.body?.activity : call.body;
  return JSON.stringify(activity?.attachments ?? []).includes('"comms.follow"');
}

/** The conversation a stakeholder post landed in; a channel thread counts as its channel. */
export function recipientOf(call: ConnectorCall): string {
  if (call.path === '/v3/conversations') return call.body?.channelData?.channel?.id ?? 'unknown';
  return (call.conversationId ?? 'unknown').split(';')[0];
}

/** Stakeholder posts Teams accepted, counted per recipient. */
export function stakeholderDeliveries(calls: readonly ConnectorCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of calls) {
    if (!isStakeholderPost(call) || !call.status || call.status >= 300) continue;
    counts.set(recipientOf(call), (counts.get(recipientOf(call)) ?? 0) + 1);
  }
  return counts;
}

export interface Throttle {
  /** 429s answered so far. */
  injected: number;
  /** Answer every post with 429 (a fully throttled tenant) until set back to false. */
  all: boolean;
}

/**
 * Makes the connector answer 429 with a small Retry-After to a share of stakeholder posts,
 * chosen by a seeded generator so runs are repeatable.
 */
export function throttle(
  connector: FakeConnector,
  options: { share: number; retryAfterSeconds: number[]; seed?: number },
): Throttle {
  const state: Throttle = { injected: 0, all: false };
  let seed = options.seed ?? 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const previous = connector.intercept;
  connector.intercept = (call) => {
    if (isStakeholderPost(call) && (state.all || random() < options.share)) {
      state.injected += 1;
      const pick = options.retryAfterSeconds[state.injected % options.retryAfterSeconds.length];
      return {
        status: 429,
        headers: { 'retry-after': String(pick) },
        body: { error: { code: 'Throttled', message: 'Too many requests' } },
      };
    }
    return previous?.(call);
  };
  return state;
}

/** `text` typed in a 1:1 chat by person number `n` (each has their own chat). */
export function personalMessage(n: number, text: string): Record<string, any> {
  const base = loadTeamsFixture('13-personal-chat-html-richtext.json');
  return {
    ...base,
    id: `personal-${n}-${Date.now()}-${Math.random()}`,
    text,
    attachments: [],
    from: { id: `29:person-${n}`, name: `Person ${n}`, aadObjectId: `aad-person-${n}` },
    conversation: { conversationType: 'personal', id: `a:chat-person-${n}` },
    channelData: { tenant: { id: COMMS_TENANT } },
  };
}

/** A command in the incident's thread (thread mode: the room is the thread). */
export function roomCommand(threadId: string, text: string): Record<string, any> {
  const base = channelCommand(text);
  return {
    ...base,
    conversation: { ...base.conversation, id: threadId },
    channelData: { ...base.channelData, channel: { id: threadId.split(';')[0] } },
  };
}

export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Answers 1:1 chat creation like Teams: the chat's id, or 403 where the app is not installed
 * for that member (`installed` decides, by the member id sent).
 */
export function personalChats(
  connector: FakeConnector,
  installed: (memberId: string) => boolean = () => true,
): void {
  const previous = connector.intercept;
  connector.intercept = (call) => {
    if (
      call.method === 'POST' &&
      call.path === '/v3/conversations' &&
      call.body?.isGroup === false
    ) {
      const member = String(call.body?.members?.[0]?.id ?? '');
      if (!installed(member)) {
        return { status: 403, body: { error: { code: 'Forbidden', message: 'not installed' } } };
      }
      return { status: 201, body: { id: `a:dm-${member}` } };
    }
    return previous?.(call);
  };
}
