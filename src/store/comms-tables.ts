import type { Generated } from 'kysely';

/**
 * Tables of stakeholder communications. Part of `Database` in database.ts; created by
 * migrations-comms.ts. Times are ISO 8601 UTC text, so they compare as text on both databases.
 *
 * The model, for whoever builds on it (feedback, cadence reminders, a status page):
 * - `comms_updates`: one row per posted update, immutable once written. Everything a template
 *   needs; `internal_note` is for the incident channel only and never leaves it.
 * - `comms_deliveries`: the outbox. One row per (update, recipient), written in the same
 *   transaction as the update. A worker claims due rows with a lease, sends, records the outcome.
 * - `comms_subscriptions`: who wants stakeholder updates in a 1:1 chat, for all services ('*')
 *   or one, with the chat to reach them (null until a chat exists).
 * - `comms_incident_subscriptions`: the same for one incident's updates only (Follow on a post
 *   of an incident that names no services); removed with the incident.
 * - `comms_threads`: the stakeholder channel's thread of each incident.
 */
export interface CommsUpdatesTable {
  id: string;
  incident_id: string;
  tenant_id: string;
  /** 1, 2, 3… within the incident. */
  number: number;
  status: string;
  affected: string;
  workaround: string;
  summary: string;
  internal_note: string;
  next_update_at: string | null;
  /** JSON Person. */
  posted_by: string;
  created_at: string;
}

export interface CommsDeliveriesTable {
  id: string;
  update_id: string;
  incident_id: string;
  tenant_id: string;
  /** war-room | stakeholder-channel | subscriber | email */
  audience: string;
  /** Unique per update: `channel:<id>`, `user:<id>`, `email:<address>`, `room:<id>`. */
  recipient_key: string;
  recipient_name: string;
  /** JSON DeliveryTarget. */
  target: string;
  /** pending | sending | sent | failed */
  state: string;
  attempts: number;
  /** 429s answered so far; not counted in `attempts`. */
  throttles: Generated<number>;
  next_attempt_at: string;
  locked_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  activity_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface CommsSubscriptionsTable {
  tenant_id: string;
  /** Entra object id when known, else the Teams id (29:…). */
  user_id: string;
  /** '*' for every incident, else a service name in lower case. */
  service: string;
  user_name: string;
  teams_id: string | null;
  service_url: string;
  /** The 1:1 chat with the bot; null until one exists. */
  conversation_id: string | null;
  created_at: string;
}

export interface CommsIncidentSubscriptionsTable {
  tenant_id: string;
  /** As in comms_subscriptions: the Entra object id when known, else the Teams id. */
  user_id: string;
  incident_id: string;
  user_name: string;
  teams_id: string | null;
  service_url: string;
  conversation_id: string | null;
  created_at: string;
}

export interface CommsThreadsTable {
  incident_id: string;
  /** The delivery that creates the thread; a second one waits instead of starting another. */
  owner_delivery_id: string;
  conversation_id: string | null;
  created_at: string;
}

export interface CommsTables {
  comms_updates: CommsUpdatesTable;
  comms_deliveries: CommsDeliveriesTable;
  comms_subscriptions: CommsSubscriptionsTable;
  comms_incident_subscriptions: CommsIncidentSubscriptionsTable;
  comms_threads: CommsThreadsTable;
}
