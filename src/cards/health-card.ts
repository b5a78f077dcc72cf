import {
  isHealthyStatus,
  isIssueResolved,
  needsAttention,
  openIssues,
  RECENT_DAYS,
  recentlyResolved,
  statusLabel,
  type HealthSummary,
  type ServiceDetail,
  type ServiceHealth,
  type ServiceIssue,
} from '../health/service-health';
import { formatIncidentNumber, type Incident } from '../incidents/incident';
import { renderCard } from './render';
import { cutText } from './text';
import { ReaderClock } from './time-format';

export interface HealthCardContext {
  now: Date;
  timeZone?: string;
  /** The incident whose channel or thread this is (or that was named): issues get a button. */
  incident?: Incident;
}

/** Issues on one card; beyond it the card would outgrow Teams' 80 KB with long posts. */
const MAX_ISSUES = 15;
const MAX_RESOLVED_NOTES = 10;
/** Microsoft 365 has about 50 services; Graph's answer is not bounded, the card must be. */
const MAX_SERVICE_ROWS = 25;
const OPERATIONAL_LINE_MAX = 1500;
const TITLE_MAX = 200;

/** `health`: services needing attention with their open issues, the rest in one line. */
export function renderHealthSummary(summary: HealthSummary, context: HealthCardContext) {
  const clock = new ReaderClock(context.timeZone);
  const budget = { left: MAX_ISSUES };
  const rows = summary.attention.slice(0, MAX_SERVICE_ROWS);
  const services = rows.map((service) =>
    serviceRow(service, openIssues(service), context, clock, budget, 300),
  );
  const shown = MAX_ISSUES - budget.left;
  const total = rows.reduce((sum, service) => sum + openIssues(service).length, 0);
  const hiddenServices = summary.attention.length - rows.length;
  const resolved = [...summary.attention, ...summary.operational]
    .flatMap((service) => recentlyResolved(service, context.now))
    .slice(0, MAX_RESOLVED_NOTES);

  return renderCard('service-health', {
    ...common(context, ''),
    heading: 'Microsoft 365 service health',
    isDetail: false,
    summaryLine: [
      count(summary.attention.length, 'service needs', 'services need') + ' attention',
      `${summary.operational.length} operational`,
      clock.label(),
    ].join(' · '),
    incomplete: !summary.complete,
    allHealthy: summary.attention.length === 0,
    services,
    hasMore: total > shown || hiddenServices > 0,
    moreLine: moreLine(total - shown, hiddenServices),
    hasOperational: summary.operational.length > 0,
    operationalLabel: 'Operational: ',
    operational: cutText(
      summary.operational.map((service) => service.service).join(', '),
      OPERATIONAL_LINE_MAX,
    ),
    hasResolved: resolved.length > 0,
    resolvedHeading: `Resolved in the last ${RECENT_DAYS} days`,
    resolved: resolved.map((issue) => ({ text: resolvedNote(issue, clock) })),
  });
}

/** `health <service>`: that service, its open issues and those resolved in the last days. */
export function renderServiceDetail(detail: ServiceDetail, context: HealthCardContext) {
  const clock = new ReaderClock(context.timeZone);
  const budget = { left: MAX_ISSUES };
  const issues = [...detail.open, ...detail.resolved];
  const row = serviceRow(detail.service, issues, context, clock, budget, 500);
  const none = `No open issue, and none resolved in the last ${RECENT_DAYS} days.`;

  return renderCard('service-health', {
    ...common(context, detail.service.service),
    heading: 'Service health · ',
    isDetail: true,
    serviceName: detail.service.service,
    summaryLine: [
      count(detail.open.length, 'open issue', 'open issues'),
      count(detail.resolved.length, 'resolved', 'resolved') + ` in the last ${RECENT_DAYS} days`,
      clock.label(),
    ].join(' · '),
    incomplete: false,
    allHealthy: false,
    services: [{ ...row, noIssuesLine: none }],
    hasMore: issues.length > MAX_ISSUES,
    moreLine: `${issues.length - MAX_ISSUES} more issues are not shown.`,
    hasOperational: false,
    hasResolved: false,
    resolved: [],
  });
}

function moreLine(issues: number, services: number): string {
  const parts = [];
  if (issues > 0) parts.push(count(issues, 'more open issue is', 'more open issues are'));
  if (services > 0) parts.push(count(services, 'more service', 'more services'));
  return `${parts.join(' and ')} not shown; send health with a service name to see one in full.`;
}

function common(context: HealthCardContext, serviceQuery: string) {
  return { incidentId: linkable(context)?.id ?? '', serviceQuery };
}

/** Issues can be added to an incident that can still change. */
function linkable(context: HealthCardContext): Incident | undefined {
  return context.incident && context.incident.status !== 'closed' ? context.incident : undefined;
}

function serviceRow(
  service: ServiceHealth,
  issues: ServiceIssue[],
  context: HealthCardContext,
  clock: ReaderClock,
  budget: { left: number },
  textMax: number,
) {
  const shown = issues.slice(0, Math.max(0, budget.left));
  budget.left -= shown.length;
  const healthy = isHealthyStatus(service.status);
  return {
    name: service.service,
    status: ` · ${statusLabel(service.status)}`,
    statusColor: healthy ? (needsAttention(service) ? 'Warning' : 'Good') : 'Attention',
    noIssues: issues.length === 0,
    noIssuesLine: 'No open issue is posted for it yet.',
    issues: shown.map((issue) => issueRow(issue, context, clock, textMax)),
  };
}

function issueRow(
  issue: ServiceIssue,
  context: HealthCardContext,
  clock: ReaderClock,
  textMax: number,
) {
  const meta = [issue.id, kindOf(issue), statusLabel(issue.status)];
  if (issue.startDateTime) meta.push(`since ${clock.time(issue.startDateTime)}`);
  if (isIssueResolved(issue) && issue.endDateTime)
    meta.push(`ended ${clock.time(issue.endDateTime)}`);
  if (issue.feature) meta.push(issue.feature);

  const incident = linkable(context);
  return {
    title: cutText(issue.title, TITLE_MAX),
    meta: cutText(meta.join(' · '), 300),
    hasImpact: textMax > 300 && issue.impactDescription !== undefined,
    impact: cutText(issue.impactDescription ?? '', textMax),
    hasPost: issue.latestPost !== undefined,
    post: cutText(issue.latestPost ?? '', textMax),
    canLink: incident !== undefined,
    incidentId: incident?.id ?? '',
    issueId: issue.id,
    linkTitle: incident ? `Add to ${formatIncidentNumber(incident.number)} timeline` : '',
  };
}

function resolvedNote(issue: ServiceIssue, clock: ReaderClock): string {
  const ended = issue.endDateTime ?? issue.lastModifiedDateTime;
  const when = ended ? `, resolved ${clock.time(ended)}` : ', resolved';
  return `${issue.service}: ${issue.id}${when}: ${cutText(issue.title, 120)}`;
}

function kindOf(issue: ServiceIssue): string {
  if (issue.classification === 'incident') return 'Incident';
  if (issue.classification === 'advisory') return 'Advisory';
  return 'Issue';
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
