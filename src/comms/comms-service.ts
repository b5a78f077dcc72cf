import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors';
import {
  assertChangeable,
  assertTransition,
  type Incident,
  type Person,
} from '../incidents/incident';
import type { DeliveryReport } from './delivery';
import type { CommsStore, NewDelivery, Subscription } from './ports';
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
            await comms.listSubscriptions(incident.tenantId),
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

  subscribe(subscription: Omit<Subscription, 'service'> & { service?: string }): Promise<void> {
    return this.store.saveSubscription({
      ...subscription,
      service: serviceKey(subscription.service),
    });
  }

  /** The service keys that were removed ('*' for all incidents); none if there were none. */
  unsubscribe(tenantId: string, userId: string, service?: string): Promise<string[]> {
    return this.store.removeSubscriptions(
      tenantId,
      userId,
      service === undefined ? undefined : serviceKey(service),
    );
  }

  report(incidentId: string, limit = 5): Promise<DeliveryReport[]> {
    return this.store.report(incidentId, limit);
  }

  private recipientsOf(
    incident: Incident,
    update: StakeholderUpdate,
    subscriptions: Subscription[],
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

    // A person subscribed to all incidents and to one service still gets one message.
    const affected = [...incident.affectedServices, update.affected];
    const people = new Map<string, Subscription>();
    for (const subscription of subscriptions) {
      if (serviceMatches(subscription.service, affected) && !people.has(subscription.userId)) {
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
