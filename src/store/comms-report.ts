import type { Kysely } from 'kysely';
import type { DeliveryReport } from '../comms/delivery';
import { rowToJob, rowToUpdate } from './comms-rows';
import type { Database } from './database';

/** For `comms`: the latest updates of an incident, their delivery counts and failures. */
export async function deliveryReport(
  db: Kysely<Database>,
  incidentId: string,
  limit: number,
): Promise<DeliveryReport[]> {
  const updates = await db
    .selectFrom('comms_updates')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('number', 'desc')
    .limit(limit)
    .execute();
  if (updates.length === 0) return [];

  const ids = updates.map((update) => update.id);
  const counts = await db
    .selectFrom('comms_deliveries')
    .select(['update_id', 'state', (eb) => eb.fn.countAll().as('count')])
    .where('update_id', 'in', ids)
    .groupBy(['update_id', 'state'])
    .execute();
  const failed = await db
    .selectFrom('comms_deliveries')
    .selectAll()
    .where('update_id', 'in', ids)
    .where('state', '=', 'failed')
    .orderBy('recipient_name')
    .execute();

  return updates.map(rowToUpdate).map((update) => {
    const count = (state: string) =>
      Number(counts.find((c) => c.update_id === update.id && c.state === state)?.count ?? 0);
    return {
      updateId: update.id,
      number: update.number,
      createdAt: update.createdAt,
      postedBy: update.postedBy.name,
      sent: count('sent'),
      pending: count('pending') + count('sending'),
      failed: failed
        .filter((row) => row.update_id === update.id)
        .map(rowToJob)
        .map((job) => ({
          recipientName: job.recipientName,
          audience: job.audience,
          reason: job.lastError ?? 'unknown',
        })),
    };
  });
}
