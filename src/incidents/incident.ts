import { ConflictError } from '../errors';

export const STATUSES = [
  'investigating',
  'identified',
  'monitoring',
  'resolved',
  'closed',
] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ROLES = ['commander', 'comms', 'ops', 'security'] as const;
export type Role = (typeof ROLES)[number];

export const TITLE_MAX = 200;
/** Longest timeline note, in characters as a person counts them (see text-length.ts). */
export const NOTE_MAX = 2000;

/** Someone in Teams. `id` is the Entra object id when known, else the Teams user id (29:…). */
export interface Person {
  id: string;
  name: string;
  teamsId?: string;
  /** Set when the person holds a role but could not be added to the incident team. */
  needsTeamMembership?: boolean;
}

/** Where the incident's war room lives and how its summary card can be reached again. */
export interface IncidentPlace {
  /** channel: a dedicated channel; thread: a new thread in a channel; chat: a post in a chat. */
  mode: 'channel' | 'thread' | 'chat';
  serviceUrl: string;
  /** The conversation that holds the summary card (a channel thread: `19:…;messageid=…`). */
  conversationId: string;
  /** The channel id (`19:…`) without a thread suffix. */
  channelId?: string;
  summaryActivityId?: string;
  webUrl?: string;
  /** Why the incident runs in thread mode although channel mode was asked for. */
  fallbackReason?: string;
}

export interface Incident {
  id: string;
  tenantId: string;
  number: number;
  title: string;
  description: string;
  severity: Severity;
  status: Status;
  roles: Partial<Record<Role, Person>>;
  affectedServices: string[];
  affectedUsers: number | null;
  impactScope: string | null;
  declaredBy: Person;
  acknowledgedBy: Person | null;
  acknowledgedAt: string | null;
  latestUpdate: string | null;
  place: IncidentPlace | null;
  createdAt: string;
  updatedAt: string;
  /** Bumped on every change; guards against lost updates between instances. */
  version: number;
}

export interface TimelineEntry {
  id: string;
  incidentId: string;
  /** ISO 8601 in UTC. */
  at: string;
  actor: Person;
  kind: TimelineKind;
  text: string;
}

export type TimelineKind =
  | 'declared'
  | 'status'
  | 'severity'
  | 'role'
  | 'acknowledged'
  | 'note'
  | 'place'
  | 'command'
  | 'security'
  | 'update'
  | 'feedback'
  | 'evidence'
  | 'health';

const TRANSITIONS: Record<Status, readonly Status[]> = {
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['investigating', 'monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'resolved'],
  // A resolved incident can reopen (it came back) or be closed after review.
  resolved: ['investigating', 'identified', 'monitoring', 'closed'],
  closed: [],
};

/**
 * The key under which an incident's war room is found again from a conversation id: the channel
 * in channel mode, the thread in thread mode. A chat can hold several incidents, so it has none.
 */
export function roomKeyOf(place: IncidentPlace): string | undefined {
  if (place.mode === 'channel') return place.channelId;
  if (place.mode === 'thread') return place.conversationId;
  return undefined;
}

export function formatIncidentNumber(incidentNumber: number): string {
  return `INC-${String(incidentNumber).padStart(4, '0')}`;
}

export function isOpen(incident: Pick<Incident, 'status'>): boolean {
  return incident.status !== 'resolved' && incident.status !== 'closed';
}

export function allowedNextStatuses(status: Status): readonly Status[] {
  return TRANSITIONS[status];
}

/** Throws a ConflictError naming the allowed moves when `to` is not reachable from `from`. */
export function assertTransition(from: Status, to: Status): void {
  if (from === 'closed') {
    throw new ConflictError('This incident is closed and can no longer change.');
  }
  if (!TRANSITIONS[from].includes(to)) {
    const allowed = TRANSITIONS[from].join(', ');
    throw new ConflictError(`An incident that is ${from} can move to: ${allowed}.`);
  }
}

export function assertChangeable(incident: Pick<Incident, 'status'>): void {
  if (incident.status === 'closed') {
    throw new ConflictError('This incident is closed and can no longer change.');
  }
}
