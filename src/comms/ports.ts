import type { Incident } from '../incidents/incident';
import type { IncidentStore } from '../incidents/ports';
import type { DeliveryJob, DeliveryReport, DeliveryTarget, SendOutcome } from './delivery';
import type { StakeholderUpdate } from './update';

/** Who gets stakeholder updates in their 1:1 chat with the bot, and how to reach them. */
export interface Subscriber {
  tenantId: string;
  userId: string;
  userName: string;
  teamsId?: string;
  serviceUrl: string;
  /** The 1:1 chat; unknown until one was opened. */
  conversationId?: string;
}

export interface Subscription extends Subscriber {
  /** '*' or a service name in lower case. */
  service: string;
}

/** One incident's updates only, whatever services it comes to name. */
export interface IncidentSubscription extends Subscriber {
  incidentId: string;
}

export type NewDelivery = Pick<
  DeliveryJob,
  'audience' | 'recipientKey' | 'recipientName' | 'target'
>;

/** The incident store and the comms store bound to one transaction. */
export interface CommsUnitOfWork {
  incidents: IncidentStore;
  comms: CommsStore;
}

/** Persistence of updates, the delivery outbox, subscriptions and stakeholder threads. */
export interface CommsStore {
  /** One transaction over incidents and comms: an update, its timeline entry and its jobs. */
  transaction<T>(work: (tx: CommsUnitOfWork) => Promise<T>): Promise<T>;

  nextUpdateNumber(incidentId: string): Promise<number>;
  /** Writes the update and one pending delivery per recipient. */
  insertUpdate(update: StakeholderUpdate, deliveries: NewDelivery[]): Promise<void>;
  getUpdate(id: string): Promise<StakeholderUpdate | undefined>;

  /**
   * Takes up to `limit` jobs that are due (pending and past their time, or sending with an
   * expired lease: a crash mid-send), marks them sending until `leaseUntil`, counts an attempt.
   * Several instances never get the same job while its lease runs.
   */
  claimDue(
    now: string,
    leaseUntil: string,
    workerId: string,
    limit: number,
  ): Promise<DeliveryJob[]>;
  /** The writes below apply only while `job.attempts` still matches: a lost lease writes nothing. */
  markSent(job: DeliveryJob, activityId: string, now: string): Promise<boolean>;
  /**
   * `countAttempt` false: a wait asked for (Retry-After, our own limits), not a failure.
   * `throttles`: the job's new count of 429s, when this outcome was one.
   */
  reschedule(
    job: DeliveryJob,
    nextAttemptAt: string,
    error: string,
    now: string,
    options?: { countAttempt?: boolean; throttles?: number },
  ): Promise<boolean>;
  markFailed(job: DeliveryJob, reason: string, now: string): Promise<boolean>;
  /** Remembers a 1:1 chat on the job, so a retry does not open another. */
  setJobTarget(job: DeliveryJob, target: DeliveryTarget): Promise<void>;

  report(incidentId: string, limit: number): Promise<DeliveryReport[]>;
  /**
   * Deletes up to `limit` delivery rows of updates whose every delivery finished (sent or
   * failed for good) before `before`; returns how many went. An update loses all its rows or
   * none, so `comms` never shows half of one; updates with a delivery still due keep theirs.
   */
  pruneDeliveries(before: string, limit: number): Promise<number>;

  /**
   * Adds the subscription, or refreshes how to reach the person when it exists; true when it
   * was new. Likewise saveIncidentSubscription.
   */
  saveSubscription(subscription: Subscription): Promise<boolean>;
  saveIncidentSubscription(subscription: IncidentSubscription): Promise<boolean>;
  /** Removes the user's subscriptions, one service or (undefined) all; returns their keys. */
  removeSubscriptions(tenantId: string, userId: string, service?: string): Promise<string[]>;
  /**
   * Removes the user's subscriptions to one incident or (undefined) to every incident; returns
   * the numbers of those incidents, in order.
   */
  removeIncidentSubscriptions(
    tenantId: string,
    userId: string,
    incidentId?: string,
  ): Promise<number[]>;
  /** The tenant's subscriptions to all incidents or a service; one person's with `userId`. */
  listSubscriptions(tenantId: string, userId?: string): Promise<Subscription[]>;
  listIncidentSubscriptions(incidentId: string): Promise<IncidentSubscription[]>;
  /** Remembers the person's 1:1 chat on all their subscriptions, of either kind. */
  setSubscriberChat(tenantId: string, userId: string, conversationId: string): Promise<void>;

  /** The incident's stakeholder thread, or who is creating it. */
  getThread(
    incidentId: string,
  ): Promise<{ ownerDeliveryId: string; conversationId?: string } | undefined>;
  /** True when `deliveryId` now owns creating the thread (or already did). */
  reserveThread(incidentId: string, deliveryId: string, now: string): Promise<boolean>;
  setThread(incidentId: string, conversationId: string): Promise<void>;
  releaseThread(incidentId: string, deliveryId: string): Promise<void>;
}

/** Cards (or HTML) for each audience, rendered by the composition root's card builders. */
export interface UpdateRenderer {
  technical(update: StakeholderUpdate, incident: Incident): object;
  stakeholder(update: StakeholderUpdate, incident: Incident): object;
  email(update: StakeholderUpdate, incident: Incident): { subject: string; html: string };
}

/** Teams sends for deliveries, each with a typed outcome instead of an exception. */
export interface DeliveryTransport {
  post(target: { serviceUrl: string; conversationId: string }, card: object): Promise<SendOutcome>;
  /** A new thread in a channel; `conversationId` of the outcome is the thread's. */
  startThread(
    target: { serviceUrl: string; tenantId: string; channelId: string },
    card: object,
  ): Promise<SendOutcome>;
  /** Opens (or finds) the 1:1 chat with a user; `conversationId` of the outcome is the chat's. */
  openPersonalChat(target: {
    serviceUrl: string;
    tenantId: string;
    userId: string;
    teamsId?: string;
  }): Promise<SendOutcome>;
}

/** E-mail through Graph sendMail. */
export interface MailSender {
  send(to: string, subject: string, html: string): Promise<SendOutcome>;
}

/** Installs the Teams app for a user (Graph installedApps), so the bot can open a chat. */
export interface AppInstaller {
  installForUser(userId: string): Promise<SendOutcome>;
}
