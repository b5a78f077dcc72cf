import type { Incident, TimelineEntry } from './incident';

/**
 * Persistence for incidents. Every method may be called inside `transaction`; the store
 * implementation decides how (SQLite immediate transaction, PostgreSQL row locks).
 */
export interface IncidentStore {
  /** Runs `work` in one transaction; everything it writes lands together or not at all. */
  transaction<T>(work: (tx: IncidentStore) => Promise<T>): Promise<T>;

  /**
   * Records that `key` (an activity id or another idempotency key) was handled.
   * Returns false when it was already recorded, by this or another instance.
   */
  claim(key: string): Promise<boolean>;

  /** The next incident number for the tenant, unique even with several instances. */
  nextIncidentNumber(tenantId: string): Promise<number>;

  insertIncident(incident: Incident): Promise<void>;

  /**
   * Writes `next` over `previous`, the incident as read, if the stored version is still
   * `previous.version`; false if someone else won. Only the fields that differ are written.
   */
  updateIncident(next: Incident, previous: Incident): Promise<boolean>;

  getIncident(id: string): Promise<Incident | undefined>;
  getIncidentByNumber(tenantId: string, incidentNumber: number): Promise<Incident | undefined>;
  /**
   * The incident whose war room is `roomKey`: the channel id (`19:…`) in channel mode, or the
   * thread's conversation id (`19:…;messageid=…`) in thread mode. See `roomKeyOf`.
   */
  findIncidentByRoom(tenantId: string, roomKey: string): Promise<Incident | undefined>;
  listIncidents(
    tenantId: string,
    options: { openOnly: boolean; limit: number },
  ): Promise<Incident[]>;

  appendTimeline(entry: TimelineEntry): Promise<void>;
  /** Newest first. */
  listTimeline(
    incidentId: string,
    options: { offset: number; limit: number },
  ): Promise<TimelineEntry[]>;
  countTimeline(incidentId: string): Promise<number>;

  /** Is the store reachable (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Housekeeping of the keys that `IncidentStore.claim` records. */
export interface HandledKeyStore {
  /**
   * Deletes at most `limit` keys recorded before `before` (ISO time), except those that start
   * with one of `keepPrefixes`; returns how many it deleted.
   */
  pruneHandledKeys(before: string, keepPrefixes: readonly string[], limit: number): Promise<number>;
}

export interface CreatedChannel {
  id: string;
  webUrl?: string;
}

/** The part of Microsoft Graph the incident core needs. Errors are DependencyError with the status. */
export interface TeamDirectory {
  createChannel(teamId: string, displayName: string, description: string): Promise<CreatedChannel>;
  /** A user's display name by Entra object id; undefined when there is no such user. */
  getUser(userId: string): Promise<{ id: string; displayName: string } | undefined>;
  /** Adds a user to the team; 'forbidden' when the app lacks the permission. */
  addTeamMember(teamId: string, userId: string): Promise<'added' | 'already-member' | 'forbidden'>;
}

export interface ChannelTarget {
  serviceUrl: string;
  tenantId: string;
  /** The channel id (`19:…`), without a thread suffix. */
  channelId: string;
}

export interface ConversationTarget {
  serviceUrl: string;
  conversationId: string;
}

export interface OutboundMessage {
  text?: string;
  card?: object;
  /** People to @mention; `text` must contain `<at>name</at>` for each. */
  mentions?: Array<{ id: string; name: string }>;
}

/** Sends to Teams outside the current turn (implemented by the Teams transport). */
export interface ConversationSender {
  /** Posts a new thread in a channel; returns the thread's conversation id and the post's id. */
  startThread(
    target: ChannelTarget,
    card: object,
  ): Promise<{ conversationId: string; activityId: string }>;
  send(target: ConversationTarget, message: OutboundMessage): Promise<{ activityId: string }>;
  updateCard(target: ConversationTarget & { activityId: string }, card: object): Promise<void>;
}

/** A place the bot was installed: a team (keyed by its Entra group id) or a personal chat. */
export interface Installation {
  key: string;
  tenantId: string;
  /** The Bot Framework conversation reference, kept opaque outside the transport. */
  reference: object;
}

export interface InstallationStore {
  saveInstallation(installation: Installation): Promise<void>;
  getInstallation(key: string): Promise<Installation | undefined>;
}
