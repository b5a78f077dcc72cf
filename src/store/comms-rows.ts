import { z } from 'zod';
import type { Insertable, Selectable } from 'kysely';
import type { DeliveryJob, DeliveryTarget } from '../comms/delivery';
import type { StakeholderUpdate } from '../comms/update';
import { STATUSES } from '../incidents/incident';
import type { CommsDeliveriesTable, CommsUpdatesTable } from './comms-tables';

const personSchema = z.object({
  id: z.string(),
  name: z.string(),
  teamsId: z.string().optional(),
  needsTeamMembership: z.boolean().optional(),
});

const targetSchema: z.ZodType<DeliveryTarget> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('conversation'), serviceUrl: z.string(), conversationId: z.string() }),
  z.object({
    kind: z.literal('channel'),
    serviceUrl: z.string(),
    tenantId: z.string(),
    channelId: z.string(),
  }),
  z.object({
    kind: z.literal('person'),
    serviceUrl: z.string(),
    tenantId: z.string(),
    userId: z.string(),
    teamsId: z.string().optional(),
    conversationId: z.string().optional(),
  }),
  z.object({ kind: z.literal('email'), address: z.string() }),
]);

const AUDIENCES = ['war-room', 'stakeholder-channel', 'subscriber', 'email'] as const;
const STATES = ['pending', 'sending', 'sent', 'failed'] as const;

export function updateToRow(update: StakeholderUpdate): Insertable<CommsUpdatesTable> {
  return {
    id: update.id,
    incident_id: update.incidentId,
    tenant_id: update.tenantId,
    number: update.number,
    status: update.status,
    affected: update.affected,
    workaround: update.workaround,
    summary: update.summary,
    internal_note: update.internalNote,
    next_update_at: update.nextUpdateAt,
    posted_by: JSON.stringify(update.postedBy),
    created_at: update.createdAt,
  };
}

export function rowToUpdate(row: Selectable<CommsUpdatesTable>): StakeholderUpdate {
  return {
    id: row.id,
    incidentId: row.incident_id,
    tenantId: row.tenant_id,
    number: Number(row.number),
    status: z.enum(STATUSES).parse(row.status),
    affected: row.affected,
    workaround: row.workaround,
    summary: row.summary,
    internalNote: row.internal_note,
    nextUpdateAt: row.next_update_at,
    postedBy: personSchema.parse(JSON.parse(row.posted_by)),
    createdAt: row.created_at,
  };
}

export function rowToJob(row: Selectable<CommsDeliveriesTable>): DeliveryJob {
  return {
    id: row.id,
    updateId: row.update_id,
    incidentId: row.incident_id,
    tenantId: row.tenant_id,
    audience: z.enum(AUDIENCES).parse(row.audience),
    recipientKey: row.recipient_key,
    recipientName: row.recipient_name,
    target: targetSchema.parse(JSON.parse(row.target)),
    state: z.enum(STATES).parse(row.state),
    attempts: Number(row.attempts),
    throttles: Number(row.throttles),
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
  };
}
