import { z } from 'zod';
import type { Insertable, Selectable } from 'kysely';
import {
  ROLES,
  SEVERITIES,
  STATUSES,
  roomKeyOf,
  type Incident,
  type IncidentPlace,
  type Person,
  type TimelineEntry,
  type TimelineKind,
} from '../incidents/incident';
import type { IncidentsTable, TimelineEntriesTable } from './database';

export type IncidentRow = Selectable<IncidentsTable>;
export type TimelineRow = Selectable<TimelineEntriesTable>;

// A mapped type rather than a list, so a kind added to TimelineKind but not here fails to compile.
const TIMELINE_KINDS: { [K in TimelineKind]: K } = {
  declared: 'declared',
  status: 'status',
  severity: 'severity',
  role: 'role',
  acknowledged: 'acknowledged',
  note: 'note',
  place: 'place',
  command: 'command',
  security: 'security',
  update: 'update',
  feedback: 'feedback',
  evidence: 'evidence',
  health: 'health',
};

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Ties a schema to a domain type exactly. Mere assignability would let a field added to the
 * domain (say an optional flag on Person) compile and then be stripped on every read.
 */
function schemaOf<T>() {
  return <S extends z.ZodType<T>>(schema: Equals<z.output<S>, T> extends true ? S : never): S =>
    schema;
}

const personSchema = schemaOf<Person>()(
  z.object({
    id: z.string(),
    name: z.string(),
    teamsId: z.string().optional(),
    needsTeamMembership: z.boolean().optional(),
  }),
);

const placeSchema = schemaOf<IncidentPlace>()(
  z.object({
    mode: z.enum(['channel', 'thread', 'chat']),
    serviceUrl: z.string(),
    conversationId: z.string(),
    channelId: z.string().optional(),
    summaryActivityId: z.string().optional(),
    webUrl: z.string().optional(),
    fallbackReason: z.string().optional(),
  }),
);

/** A text column holding JSON that must match `schema`. */
function json<T>(schema: z.ZodType<T>) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const integer = z.number().int();

const incidentRowSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  number: integer,
  title: z.string(),
  description: z.string(),
  severity: z.literal(SEVERITIES),
  status: z.enum(STATUSES),
  roles: json(z.partialRecord(z.enum(ROLES), personSchema)),
  affected_services: json(z.array(z.string())),
  affected_users: integer.nullable(),
  impact_scope: z.string().nullable(),
  declared_by: json(personSchema),
  acknowledged_by: json(personSchema).nullable(),
  acknowledged_at: z.string().nullable(),
  latest_update: z.string().nullable(),
  place: json(placeSchema).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  version: integer,
});

const timelineRowSchema = z.object({
  id: z.string(),
  incident_id: z.string(),
  at: z.string(),
  actor: json(personSchema),
  kind: z.enum(TIMELINE_KINDS),
  text: z.string(),
});

export function incidentToRow(incident: Incident): Insertable<IncidentsTable> {
  return {
    id: incident.id,
    tenant_id: incident.tenantId,
    number: incident.number,
    title: incident.title,
    description: incident.description,
    severity: incident.severity,
    status: incident.status,
    roles: JSON.stringify(incident.roles),
    affected_services: JSON.stringify(incident.affectedServices),
    affected_users: incident.affectedUsers,
    impact_scope: incident.impactScope,
    declared_by: JSON.stringify(incident.declaredBy),
    acknowledged_by: incident.acknowledgedBy ? JSON.stringify(incident.acknowledgedBy) : null,
    acknowledged_at: incident.acknowledgedAt,
    latest_update: incident.latestUpdate,
    place: incident.place ? JSON.stringify(incident.place) : null,
    // Derived here so an update that moves the war room moves the lookup key with it.
    room_key: (incident.place && roomKeyOf(incident.place)) ?? null,
    created_at: incident.createdAt,
    updated_at: incident.updatedAt,
    version: incident.version,
  };
}

/** Throws an Error naming the incident and the bad columns when the stored row is corrupt. */
export function rowToIncident(row: IncidentRow): Incident {
  const parsed = incidentRowSchema.safeParse(row);
  if (!parsed.success) {
    throw corrupt(`incident ${row.id}`, parsed.error);
  }
  const r = parsed.data;
  // Every field required, optional ones too, so a field added to Incident cannot be forgotten.
  const incident: Required<Incident> = {
    id: r.id,
    tenantId: r.tenant_id,
    number: r.number,
    title: r.title,
    description: r.description,
    severity: r.severity,
    status: r.status,
    roles: r.roles,
    affectedServices: r.affected_services,
    affectedUsers: r.affected_users,
    impactScope: r.impact_scope,
    declaredBy: r.declared_by,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    latestUpdate: r.latest_update,
    place: r.place,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
  return incident;
}

export function timelineToRow(entry: TimelineEntry): Insertable<TimelineEntriesTable> {
  return {
    id: entry.id,
    incident_id: entry.incidentId,
    at: entry.at,
    actor: JSON.stringify(entry.actor),
    kind: entry.kind,
    text: entry.text,
  };
}

export function rowToTimeline(row: TimelineRow): TimelineEntry {
  const parsed = timelineRowSchema.safeParse(row);
  if (!parsed.success) {
    throw corrupt(`timeline entry ${row.id}`, parsed.error);
  }
  const r = parsed.data;
  const entry: Required<TimelineEntry> = {
    id: r.id,
    incidentId: r.incident_id,
    at: r.at,
    actor: r.actor,
    kind: r.kind,
    text: r.text,
  };
  return entry;
}

function corrupt(what: string, error: z.ZodError): Error {
  const problems = error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  return new Error(`Stored ${what} is corrupt (${problems.join('; ')})`, { cause: error });
}
