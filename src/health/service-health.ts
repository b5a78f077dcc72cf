/** Microsoft 365 service health as the bot reads it from Graph, already validated. */

export type IssueClassification = 'incident' | 'advisory' | 'unknown';

export interface ServiceIssue {
  /** Microsoft's id, such as EX226574. */
  id: string;
  service: string;
  title: string;
  classification: IssueClassification;
  /** Graph's status word (serviceDegradation, serviceRestored…), as Graph spells it. */
  status: string;
  isResolved: boolean;
  startDateTime?: string;
  endDateTime?: string;
  lastModifiedDateTime?: string;
  impactDescription?: string;
  feature?: string;
  /** The newest post as plain text (HTML removed, entities decoded). */
  latestPost?: string;
}

export interface ServiceHealth {
  id: string;
  /** The display name, such as "Exchange Online". */
  service: string;
  status: string;
  issues: ServiceIssue[];
}

export interface HealthReport {
  services: ServiceHealth[];
  /** False when Graph had more pages than the adapter reads: the list is not the whole tenant. */
  complete: boolean;
}

/** `health`: the services needing attention, worst first, and the operational ones. */
export interface HealthSummary {
  attention: ServiceHealth[];
  operational: ServiceHealth[];
  complete: boolean;
}

/** `health <service>`: one service, its open issues and those resolved in the last days. */
export interface ServiceDetail {
  service: ServiceHealth;
  open: ServiceIssue[];
  resolved: ServiceIssue[];
}

/** How long a resolved issue is still shown (`health <service>`) or noted (`health`). */
export const RECENT_DAYS = 7;

// Graph's casing of these words differs between its documentation and its answers
// (serviceOperational and ServiceOperational), so they are compared in lower case.
const HEALTHY_STATUSES = new Set([
  'serviceoperational',
  'servicerestored',
  'falsepositive',
  'postincidentreviewpublished',
  'resolved',
  'resolvedexternal',
]);

/** Worst first; a status Graph adds later sorts with the unknown ones, before "operational". */
const STATUS_ORDER = [
  'serviceinterruption',
  'servicedegradation',
  'extendedrecovery',
  'restoringservice',
  'investigating',
  'confirmed',
  'reported',
  'verifyingservice',
  'mitigated',
  'mitigatedexternal',
  'investigationsuspended',
];

const STATUS_LABELS: Record<string, string> = {
  serviceoperational: 'Operational',
  investigating: 'Investigating',
  restoringservice: 'Restoring service',
  verifyingservice: 'Verifying service',
  servicerestored: 'Service restored',
  postincidentreviewpublished: 'Post-incident report published',
  servicedegradation: 'Degraded',
  serviceinterruption: 'Interrupted',
  extendedrecovery: 'Extended recovery',
  falsepositive: 'False positive',
  investigationsuspended: 'Investigation suspended',
  resolved: 'Resolved',
  mitigatedexternal: 'Mitigated (external)',
  mitigated: 'Mitigated',
  resolvedexternal: 'Resolved (external)',
  confirmed: 'Confirmed',
  reported: 'Reported',
};

/** A status in words; one Graph adds later is still shown, split from its camel case. */
export function statusLabel(status: string): string {
  const known = STATUS_LABELS[status.toLowerCase()];
  if (known) return known;
  const words = status.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function isHealthyStatus(status: string): boolean {
  return HEALTHY_STATUSES.has(status.toLowerCase());
}

/**
 * Resolved when Graph says so, or when its status is a final one: the recorded answer (G01)
 * has both, and a status of "serviceRestored" on an issue still marked open is not an outage.
 */
export function isIssueResolved(issue: ServiceIssue): boolean {
  return issue.isResolved || isHealthyStatus(issue.status);
}

export function openIssues(service: ServiceHealth): ServiceIssue[] {
  return service.issues.filter((issue) => !isIssueResolved(issue));
}

/** Resolved issues that ended (or last changed) within RECENT_DAYS of `now`. */
export function recentlyResolved(service: ServiceHealth, now: Date): ServiceIssue[] {
  const since = now.getTime() - RECENT_DAYS * 24 * 60 * 60_000;
  return service.issues.filter((issue) => {
    if (!isIssueResolved(issue)) return false;
    const ended = Date.parse(issue.endDateTime ?? issue.lastModifiedDateTime ?? '');
    return Number.isFinite(ended) && ended >= since;
  });
}

/**
 * Needs attention: its status is not a healthy one, or it has an open issue (an advisory is often
 * posted while the service itself still reads operational).
 */
export function needsAttention(service: ServiceHealth): boolean {
  return !isHealthyStatus(service.status) || openIssues(service).length > 0;
}

/** Services needing attention first, worst status first, then by name. */
export function byUrgency(a: ServiceHealth, b: ServiceHealth): number {
  const rank = (service: ServiceHealth) => {
    if (!needsAttention(service)) return STATUS_ORDER.length + 2;
    if (isHealthyStatus(service.status)) return STATUS_ORDER.length + 1;
    const at = STATUS_ORDER.indexOf(service.status.toLowerCase());
    return at === -1 ? STATUS_ORDER.length : at;
  };
  return rank(a) - rank(b) || a.service.localeCompare(b.service);
}

/**
 * The service a person named: its id or name exactly (any case), else the only one whose name
 * contains the words. Undefined when none does; `candidates` lists them when several do.
 */
export function findService(
  services: readonly ServiceHealth[],
  query: string,
): { service?: ServiceHealth; candidates: ServiceHealth[] } {
  const wanted = query.trim().toLowerCase();
  const exact = services.find(
    (service) => service.id.toLowerCase() === wanted || service.service.toLowerCase() === wanted,
  );
  if (exact) return { service: exact, candidates: [exact] };

  const candidates = services.filter((service) => service.service.toLowerCase().includes(wanted));
  return { service: candidates.length === 1 ? candidates[0] : undefined, candidates };
}
