import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors';
import {
  assertChangeable,
  assertTransition,
  type Incident,
  type Person,
} from '../incidents/incident';
import type { DeliveryReport } from './delivery';
import type {
  CommsStore,
  IncidentSubscription,
  NewDelivery,
  Subscriber,
  Subscription,
} from './ports';
import {
  checkUpdateInput,
  nextUpdateAt,
  serviceKey,
  serviceMatches,
  type StakeholderUpdate,
  type UpdateInput,
} from './update';

export interface Audiences {
  /** The stakeholder channel's 19:… id; none: no channel post. */
  stakeholderChannelId?: string;
  /** Addresses that get every update by e-mail (needs a mail sender). */
  emails: string[];
}

export interface PostedUpdate {
  update: StakeholderUpdate;
  incident: Incident;
  /** Deliveries queued, the incident room included. */
  queued: number;
}

/** What Follow did; `added` false: the person already followed it, nothing was added. */
export type FollowResult =
  /** They get every incident's updates already; nothing was added. */
  | { kind: 'all' }
  /** The incident names no services: its own updates. */
  | { kind: 'incident'; added: boolean }
  /** The incident's services, as the incident names them. */
  | { kind: 'services'; services: string[]; added: boolean };

export interface Unsubscribed {
  /** Service keys removed, '*' for all incidents. */
  services: string[];
  /** Numbers of the incidents no longer followed. */
  incidents: number[];
}

const MAX_VERSION_RETRIES = 5;

class LostUpdate extends Error {}

/**
 * Posts updates and manages subscriptions. An update, its timeline entry, the incident's
 * latest update and one delivery per recipient commit together (the outbox); the worker sends.
 */
export class CommsService {
  constructor(
    private readonly store: CommsStore,
    private readonly audiences: Audiences,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Returns null when `idempotencyKey` was already handled: a Teams retry or a double submit
   * queues nothing twice. `serviceUrl` is where the stakeholder channel is reached.
   */
  async postUpdate(
    raw: UpdateInput,
    actor: Person,
    idempotencyKey: string,
    serviceUrl: string,
  ): Promise<PostedUpdate | null> {
    const input = checkUpdateInput(raw);
    for (let attempt = 0; attempt < MAX_VERSION_RETRIES; attempt++) {
      try {
        return await this.store.transaction(async ({ incidents, comms }) => {
          const incident = await incidents.getIncident(input.incidentId);
          if (!incident) throw new NotFoundError('That incident does not exist.');
          if (!(await incidents.claim(idempotencyKey))) return null;
          assertChangeable(incident);

          const now = this.clock();
          const draft: Incident = structuredClone(incident);
          const status = input.status ?? incident.status;
          const entries: Array<{ kind: 'status' | 'update'; text: string }> = [];
          if (status !== incident.status) {
            assertTransition(incident.status, status);
            draft.status = status;
            entries.push({ kind: 'status', text: `Status ${incident.status} → ${status}` });
          }
          const update: StakeholderUpdate = {
            id: randomUUID(),
            incidentId: incident.id,
            tenantId: incident.tenantId,
            number: await comms.nextUpdateNumber(incident.id),
            status,
            affected: input.affected ?? '',
            workaround: input.workaround ?? '',
            summary: input.summary,
            internalNote: input.internalNote ?? '',
            nextUpdateAt: nextUpdateAt(now, incident.severity, input.nextUpdateMinutes),
            postedBy: actor,
            createdAt: now.toISOString(),
          };
          entries.push({ kind: 'update', text: `Update #${update.number}: ${update.summary}` });

          draft.latestUpdate = update.summary;
          draft.version = incident.version + 1;
          draft.updatedAt = update.createdAt;
          if (!(await incidents.updateIncident(draft, incident))) throw new LostUpdate();
          for (const entry of entries) {
            await incidents.appendTimeline({
              id: randomUUID(),
              incidentId: incident.id,
              at: update.createdAt,
              actor,
              ...entry,
            });
          }

          const deliveries = this.recipientsOf(
            draft,
            update,
            [
              ...(await comms.listSubscriptions(incident.tenantId)),
              ...(await comms.listIncidentSubscriptions(incident.id)),
            ],
            serviceUrl,
          );
          await comms.insertUpdate(update, deliveries);
          return { update, incident: draft, queued: deliveries.length };
        });
      } catch (error) {
        if (!(error instanceof LostUpdate)) throw error;
      }
    }
    throw new ConflictError('The incident is changing fast; try again in a moment.');
  }

  /** True when the subscription is new; an existing one only learns how to reach the person. */
  subscribe(subscription: Subscriber & { service?: string }): Promise<boolean> {
    return this.store.saveSubscription({
      ...subscription,
      service: serviceKey(subscription.service),
    });
  }

  /**
   * Follow on a stakeholder post: the incident's services, or that incident alone when it names
   * none (never every incident). Someone subscribed to all incidents gets nothing more.
   */
  async follow(subscriber: Subscriber, incident: Incident): Promise<FollowResult> {
    const held = await this.store.listSubscriptions(subscriber.tenantId, subscriber.userId);
    if (held.some((subscription) => subscription.service === '*')) {
      await this.store.saveSubscription({ ...subscriber, service: '*' });
      return { kind: 'all' };
    }

    const services = namedServices(incident.affectedServices);
    if (services.length === 0) {
      const added = await this.store.saveIncidentSubscription({
        ...subscriber,
        incidentId: incident.id,
      });
      return { kind: 'incident', added };
    }

    let added = false;
    for (const service of services) {
      if (await this.subscribe({ ...subscriber, service })) added = true;
    }
    return { kind: 'services', services, added };
  }

  /** Removes one service's subscription, one incident's, or (neither named) every one. */
  async unsubscribe(
    tenantId: string,
    userId: string,
    what: { service?: string; incidentId?: string } = {},
  ): Promise<Unsubscribed> {
    if (what.incidentId !== undefined) {
      const incidents = await this.store.removeIncidentSubscriptions(
        tenantId,
        userId,
        what.incidentId,
      );
      return { services: [], incidents };
    }
    if (what.service !== undefined) {
      const services = await this.store.removeSubscriptions(
        tenantId,
        userId,
        serviceKey(what.service),
      );
      return { services, incidents: [] };
    }
    return this.store.transaction(async ({ comms }) => ({
      services: await comms.removeSubscriptions(tenantId, userId),
      incidents: await comms.removeIncidentSubscriptions(tenantId, userId),
    }));
  }

  report(incidentId: string, limit = 5): Promise<DeliveryReport[]> {
    return this.store.report(incidentId, limit);
  }

  /** `subscriptions`: the tenant's to services or all incidents, and those to this incident. */
  private recipientsOf(
    incident: Incident,
    update: StakeholderUpdate,
    subscriptions: Array<Subscription | IncidentSubscription>,
    serviceUrl: string,
  ): NewDelivery[] {
    const deliveries: NewDelivery[] = [];
    const place = incident.place;
    if (place) {
      deliveries.push({
        audience: 'war-room',
        recipientKey: `room:${place.conversationId}`,
        recipientName: 'Incident channel',
        target: {
          kind: 'conversation',
          serviceUrl: place.serviceUrl,
          conversationId: place.conversationId,
        },
      });
    }

    const channelId = this.audiences.stakeholderChannelId;
    if (channelId) {
      deliveries.push({
        audience: 'stakeholder-channel',
        recipientKey: `channel:${channelId}`,
        recipientName: 'Stakeholder channel',
        target: { kind: 'channel', serviceUrl, tenantId: incident.tenantId, channelId },
      });
    }

    // A person subscribed to all incidents, one service and this incident gets one message.
    const affected = [...incident.affectedServices, update.affected];
    const people = new Map<string, Subscriber>();
    for (const subscription of subscriptions) {
      const covers =
        'incidentId' in subscription
          ? subscription.incidentId === incident.id
          : serviceMatches(subscription.service, affected);
      if (covers && !people.has(subscription.userId)) {
        people.set(subscription.userId, subscription);
      }
    }
    for (const person of people.values()) {
      deliveries.push({
        audience: 'subscriber',
        recipientKey: `user:${person.userId}`,
        recipientName: person.userName,
        target: {
          kind: 'person',
          serviceUrl: person.serviceUrl,
          tenantId: person.tenantId,
          userId: person.userId,
          teamsId: person.teamsId,
          conversationId: person.conversationId,
        },
      });
    }

    for (const address of new Set(this.audiences.emails.map((a) => a.toLowerCase()))) {
      deliveries.push({
        audience: 'email',
        recipientKey: `email:${address}`,
        recipientName: address,
        target: { kind: 'email', address },
      });
    }
    return deliveries;
  }
}

/**
 * The services an incident names, once each. "all" or "*" as a name is no service: taken as a
 * service key it would subscribe to every incident.
 */
function namedServices(affected: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const name of affected) {
    const key = serviceKey(name);
    if (key !== '*' && !byKey.has(key)) byKey.set(key, name.trim());
  }
  return [...byKey.values()];
}
