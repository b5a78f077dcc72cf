/** Who gets a delivery: the incident room, the stakeholder channel, a subscriber, a mailbox. */
export type Audience = 'war-room' | 'stakeholder-channel' | 'subscriber' | 'email';

export type DeliveryTarget =
  /** The incident's own conversation (its channel thread or chat). */
  | { kind: 'conversation'; serviceUrl: string; conversationId: string }
  /** The stakeholder channel: the incident's thread there, started by the first update. */
  | { kind: 'channel'; serviceUrl: string; tenantId: string; channelId: string }
  /** A subscriber's 1:1 chat; without `conversationId` one is opened (installing if allowed). */
  | {
      kind: 'person';
      serviceUrl: string;
      tenantId: string;
      userId: string;
      teamsId?: string;
      conversationId?: string;
    }
  | { kind: 'email'; address: string };

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed';

/** One outbox row: a recipient of an update and how far its send got. */
export interface DeliveryJob {
  id: string;
  updateId: string;
  incidentId: string;
  tenantId: string;
  audience: Audience;
  recipientKey: string;
  recipientName: string;
  target: DeliveryTarget;
  state: DeliveryState;
  /** Attempts started, counting the one in progress; also fences a stale lease's writes. */
  attempts: number;
  /** 429s the service answered (Teams or Graph), which are not counted as attempts. */
  throttles: number;
  nextAttemptAt: string;
  lastError: string | null;
}

/**
 * What one send attempt came to, as the transport saw it. Only status codes and Teams error
 * codes decide; message text never does.
 */
export type SendOutcome =
  | { kind: 'sent'; activityId: string; conversationId?: string }
  /** 429: wait at least `ms` before the next try. */
  | { kind: 'retry-after'; ms: number; status?: number; code?: string }
  /** 412, 502, 503, 504, 5xx or no answer: try again later with backoff. */
  | { kind: 'retryable'; status?: number; code?: string }
  /** 403 (blocked, not installed, not in roster), 404 (conversation gone), other 4xx. */
  | { kind: 'final'; status?: number; code?: string; reason?: string };

/** Per update, for `comms`: how its deliveries stand and who failed why. */
export interface DeliveryReport {
  updateId: string;
  number: number;
  createdAt: string;
  postedBy: string;
  sent: number;
  pending: number;
  failed: Array<{ recipientName: string; audience: Audience; reason: string }>;
}

/** Short, fixed reason text for a final outcome, shown in `comms`; never the service's message. */
export function reasonOf(outcome: Exclude<SendOutcome, { kind: 'sent' }>): string {
  if (outcome.kind === 'final' && outcome.reason) return outcome.reason;
  const status = outcome.status ?? 'no answer';
  const meaning =
    outcome.status === 403
      ? 'blocked, app not installed or not in the conversation'
      : outcome.status === 404
        ? 'conversation gone'
        : outcome.status === 429
          ? 'throttled'
          : outcome.kind === 'final'
            ? 'refused'
            : 'unavailable';
  return `${meaning} (${status}${outcome.code ? ` ${outcome.code}` : ''})`;
}
