import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DeliveryJob, DeliveryReport, DeliveryTarget } from '../comms/delivery';
import type {
  CommsStore,
  CommsUnitOfWork,
  IncidentSubscription,
  NewDelivery,
  Subscriber,
  Subscription,
} from '../comms/ports';
import type { StakeholderUpdate } from '../comms/update';
import { deliveryReport } from './comms-report';
import { rowToJob, rowToUpdate, updateToRow } from './comms-rows';
import type { Database, SqlDialect } from './database';
import { SqlIncidentStore } from './sql-incident-store';

// Keeps each INSERT well under SQLite's bound-parameter limit, whatever the subscriber count.
const INSERT_CHUNK = 200;

/** States a delivery never leaves: nothing will change or read its row for sending again. */
const FINISHED = ['sent', 'failed'];

/**
 * CommsStore on the same Kysely instance as SqlIncidentStore (one SQLite connection per
 * process, one PostgreSQL pool). Bound to the database, or inside `transaction` to one.
 */
export class SqlCommsStore implements CommsStore {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: SqlDialect,
  ) {}

  async transaction<T>(work: (tx: CommsUnitOfWork) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) {
      return work({ incidents: new SqlIncidentStore(this.db, this.dialect), comms: this });
    }
    return this.db.transaction().execute((trx) =>
      work({
        incidents: new SqlIncidentStore(trx, this.dialect),
        comms: new SqlCommsStore(trx, this.dialect),
      }),
    );
  }

  async nextUpdateNumber(incidentId: string): Promise<number> {
    const row = await this.db
      .selectFrom('comms_updates')
      .select((eb) => eb.fn.max('number').as('last'))
      .where('incident_id', '=', incidentId)
      .executeTakeFirst();
    return Number(row?.last ?? 0) + 1;
  }

  async insertUpdate(update: StakeholderUpdate, deliveries: NewDelivery[]): Promise<void> {
    await this.db.insertInto('comms_updates').values(updateToRow(update)).execute();
    // The outbox runs on the real clock (leases, backoff), whatever clock the update was dated by.
    const now = new Date().toISOString();
    const rows = deliveries.map((delivery) => ({
      id: randomUUID(),
      update_id: update.id,
      incident_id: update.incidentId,
      tenant_id: update.tenantId,
      audience: delivery.audience,
      recipient_key: delivery.recipientKey,
      recipient_name: delivery.recipientName,
      target: JSON.stringify(delivery.target),
      state: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await this.db
        .insertInto('comms_deliveries')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
    }
  }

  async getUpdate(id: string): Promise<StakeholderUpdate | undefined> {
    const row = await this.db
      .selectFrom('comms_updates')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && rowToUpdate(row);
  }

  async claimDue(now: string, leaseUntil: string, workerId: string, limit: number) {
    // PostgreSQL: SKIP LOCKED lets instances claim side by side, each getting other rows.
    // SQLite: the single UPDATE … RETURNING is atomic on the one connection.
    const due = this.db
      .selectFrom('comms_deliveries')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('state', '=', 'sending'), eb('locked_until', '<', now)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(limit)
      .$if(this.dialect === 'postgres', (query) => query.forUpdate().skipLocked());
    const rows = await this.db
      .updateTable('comms_deliveries')
      .set((eb) => ({
        state: 'sending',
        locked_until: leaseUntil,
        locked_by: workerId,
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', due)
      .returningAll()
      .execute();
    return rows.map(rowToJob);
  }

  markSent(job: DeliveryJob, activityId: string, now: string) {
    return this.finish(job, { state: 'sent', activity_id: activityId, last_error: null }, now);
  }

  reschedule(
    job: DeliveryJob,
    nextAttemptAt: string,
    error: string,
    now: string,
    { countAttempt = true, throttles }: { countAttempt?: boolean; throttles?: number } = {},
  ) {
    return this.finish(
      job,
      {
        state: 'pending',
        next_attempt_at: nextAttemptAt,
        last_error: error,
        // The claim counted this round; a wait that Teams or our own limits asked for is not a
        // failed attempt, so it is taken back (the fence above still used the claimed count).
        ...(countAttempt ? {} : { attempts: job.attempts - 1 }),
        ...(throttles === undefined ? {} : { throttles }),
      },
      now,
    );
  }

  markFailed(job: DeliveryJob, reason: string, now: string) {
    return this.finish(job, { state: 'failed', last_error: reason }, now);
  }

  async setJobTarget(job: DeliveryJob, target: DeliveryTarget): Promise<void> {
    await this.db
      .updateTable('comms_deliveries')
      .set({ target: JSON.stringify(target) })
      .where('id', '=', job.id)
      .execute();
  }

  report(incidentId: string, limit: number): Promise<DeliveryReport[]> {
    return deliveryReport(this.db, incidentId, limit);
  }

  async pruneDeliveries(before: string, limit: number): Promise<number> {
    // A subquery, because SQLite has DELETE … LIMIT only when compiled with it. No delivery
    // finishes before its update was written, so only updates older than the cutoff can qualify;
    // the checks per update go through the (update_id, recipient_key) index.
    const result = await this.db
      .deleteFrom('comms_deliveries')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('comms_deliveries')
          .select('id')
          .where('update_id', 'in', (inner) =>
            inner
              .selectFrom('comms_updates as u')
              .select('u.id')
              .where('u.created_at', '<', before)
              .where((update) =>
                update.not(
                  update.exists(
                    update
                      .selectFrom('comms_deliveries as d')
                      .select('d.id')
                      .whereRef('d.update_id', '=', 'u.id')
                      .where((d) =>
                        d.or([d('d.state', 'not in', FINISHED), d('d.updated_at', '>=', before)]),
                      ),
                  ),
                ),
              ),
          )
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async saveSubscription(subscription: Subscription): Promise<boolean> {
    const row = { ...subscriberRow(subscription), service: subscription.service };
    const inserted = await this.db
      .insertInto('comms_subscriptions')
      .values(row)
      .onConflict((conflict) => conflict.columns(['tenant_id', 'user_id', 'service']).doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) return true;

    await this.db
      .updateTable('comms_subscriptions')
      .set(refreshedContact(row))
      .where('tenant_id', '=', row.tenant_id)
      .where('user_id', '=', row.user_id)
      .where('service', '=', row.service)
      .execute();
    return false;
  }

  async saveIncidentSubscription(subscription: IncidentSubscription): Promise<boolean> {
    const row = { ...subscriberRow(subscription), incident_id: subscription.incidentId };
    const inserted = await this.db
      .insertInto('comms_incident_subscriptions')
      .values(row)
      .onConflict((conflict) =>
        conflict.columns(['tenant_id', 'user_id', 'incident_id']).doNothing(),
      )
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) return true;

    await this.db
      .updateTable('comms_incident_subscriptions')
      .set(refreshedContact(row))
      .where('tenant_id', '=', row.tenant_id)
      .where('user_id', '=', row.user_id)
      .where('incident_id', '=', row.incident_id)
      .execute();
    return false;
  }

  async removeSubscriptions(tenantId: string, userId: string, service?: string) {
    const rows = await this.db
      .deleteFrom('comms_subscriptions')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .$if(service !== undefined, (query) => query.where('service', '=', service!))
      .returning('service')
      .execute();
    return rows.map((row) => row.service).sort();
  }

  async removeIncidentSubscriptions(tenantId: string, userId: string, incidentId?: string) {
    const rows = await this.db
      .deleteFrom('comms_incident_subscriptions')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .$if(incidentId !== undefined, (query) => query.where('incident_id', '=', incidentId!))
      .returning('incident_id')
      .execute();
    if (rows.length === 0) return [];

    const incidents = await this.db
      .selectFrom('incidents')
      .select('number')
      .where(
        'id',
        'in',
        rows.map((row) => row.incident_id),
      )
      .orderBy('number')
      .execute();
    return incidents.map((incident) => Number(incident.number));
  }

  async listSubscriptions(tenantId: string, userId?: string): Promise<Subscription[]> {
    const rows = await this.db
      .selectFrom('comms_subscriptions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .$if(userId !== undefined, (query) => query.where('user_id', '=', userId!))
      .orderBy('created_at')
      .execute();
    return rows.map((row) => ({ ...rowToSubscriber(row), service: row.service }));
  }

  async listIncidentSubscriptions(incidentId: string): Promise<IncidentSubscription[]> {
    const rows = await this.db
      .selectFrom('comms_incident_subscriptions')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .execute();
    return rows.map((row) => ({ ...rowToSubscriber(row), incidentId: row.incident_id }));
  }

  async setSubscriberChat(tenantId: string, userId: string, conversationId: string) {
    for (const table of ['comms_subscriptions', 'comms_incident_subscriptions'] as const) {
      await this.db
        .updateTable(table)
        .set({ conversation_id: conversationId })
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .execute();
    }
  }

  async getThread(incidentId: string) {
    const row = await this.db
      .selectFrom('comms_threads')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .executeTakeFirst();
    return (
      row && {
        ownerDeliveryId: row.owner_delivery_id,
        conversationId: row.conversation_id ?? undefined,
      }
    );
  }

  async reserveThread(incidentId: string, deliveryId: string, now: string): Promise<boolean> {
    await this.db
      .insertInto('comms_threads')
      .values({
        incident_id: incidentId,
        owner_delivery_id: deliveryId,
        conversation_id: null,
        created_at: now,
      })
      .onConflict((conflict) => conflict.column('incident_id').doNothing())
      .execute();
    return (await this.getThread(incidentId))?.ownerDeliveryId === deliveryId;
  }

  async setThread(incidentId: string, conversationId: string): Promise<void> {
    await this.db
      .updateTable('comms_threads')
      .set({ conversation_id: conversationId })
      .where('incident_id', '=', incidentId)
      .execute();
  }

  async releaseThread(incidentId: string, deliveryId: string): Promise<void> {
    await this.db
      .deleteFrom('comms_threads')
      .where('incident_id', '=', incidentId)
      .where('owner_delivery_id', '=', deliveryId)
      .where('conversation_id', 'is', null)
      .execute();
  }

  /** Writes a job's outcome only if no other worker took it over since (same attempt count). */
  private async finish(
    job: DeliveryJob,
    changes: {
      state: string;
      activity_id?: string;
      last_error: string | null;
      next_attempt_at?: string;
      attempts?: number;
      throttles?: number;
    },
    now: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('comms_deliveries')
      .set({ ...changes, locked_until: null, updated_at: now })
      .where('id', '=', job.id)
      .where('attempts', '=', job.attempts)
      .where('state', '=', 'sending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}

interface SubscriberRow {
  tenant_id: string;
  user_id: string;
  user_name: string;
  teams_id: string | null;
  service_url: string;
  conversation_id: string | null;
  created_at: string;
}

function subscriberRow(subscriber: Subscriber): SubscriberRow {
  return {
    tenant_id: subscriber.tenantId,
    user_id: subscriber.userId,
    user_name: subscriber.userName,
    teams_id: subscriber.teamsId ?? null,
    service_url: subscriber.serviceUrl,
    conversation_id: subscriber.conversationId ?? null,
    created_at: new Date().toISOString(),
  };
}

/**
 * How to reach someone who subscribes again: their newest name and service URL, while a Follow
 * from a channel, which knows no chat (or Teams id) yet, must not forget one known before.
 */
function refreshedContact(row: SubscriberRow) {
  return {
    user_name: row.user_name,
    service_url: row.service_url,
    ...(row.teams_id === null ? {} : { teams_id: row.teams_id }),
    ...(row.conversation_id === null ? {} : { conversation_id: row.conversation_id }),
  };
}

function rowToSubscriber(row: Omit<SubscriberRow, 'created_at'>): Subscriber {
  return {
    tenantId: row.tenant_id,
    userId: row.user_id,
    userName: row.user_name,
    teamsId: row.teams_id ?? undefined,
    serviceUrl: row.service_url,
    conversationId: row.conversation_id ?? undefined,
  };
}
