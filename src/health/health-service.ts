import { InputError, NotFoundError } from '../errors';
import type { Person } from '../incidents/incident';
import type { ChangeResult, IncidentService } from '../incidents/incident-service';
import type { ServiceHealthSource } from './ports';
import {
  byUrgency,
  findService,
  needsAttention,
  openIssues,
  recentlyResolved,
  type HealthSummary,
  type ServiceDetail,
  type ServiceIssue,
} from './service-health';

export interface LinkRequest {
  tenantId: string;
  incidentId: string;
  actor: Person;
}

/** Microsoft's issue ids are letters and digits (EX226574, TM512345). */
const ISSUE_ID = /^[A-Za-z0-9]{2,32}$/;

/**
 * Microsoft 365 service health for incident response: what is degraded now, and linking an issue
 * to an incident's timeline (who may do either: see HealthModule).
 */
export class HealthService {
  constructor(
    private readonly source: ServiceHealthSource,
    private readonly incidents: IncidentService,
  ) {}

  async summary(): Promise<HealthSummary> {
    const report = await this.source.healthOverviews();
    const sorted = [...report.services].sort(byUrgency);
    return {
      attention: sorted.filter(needsAttention),
      operational: sorted.filter((service) => !needsAttention(service)),
      complete: report.complete,
    };
  }

  async detail(name: string, now: Date): Promise<ServiceDetail> {
    const { services } = await this.source.healthOverviews();
    const { service, candidates } = findService(services, name);
    if (!service && candidates.length > 1) {
      const names = candidates.map((candidate) => candidate.service).join(', ');
      throw new InputError(`More than one service matches: ${names}. Name one of them.`);
    }
    if (!service) {
      throw new NotFoundError('No Microsoft 365 service has that name; “health” lists them all.');
    }
    return { service, open: openIssues(service), resolved: recentlyResolved(service, now) };
  }

  /** One issue as Graph describes it now; NotFoundError when Graph does not know it. */
  async issue(issueId: string): Promise<ServiceIssue> {
    if (!ISSUE_ID.test(issueId)) {
      throw new InputError('A service health issue id is letters and digits, such as EX226574.');
    }
    const issue = await this.source.issue(issueId);
    if (!issue) throw new NotFoundError(`Microsoft 365 service health has no issue ${issueId}.`);
    return issue;
  }

  /**
   * Adds the issue to the incident's timeline as `text`. The key holds the issue's last change: a
   * double click or a repeat adds it once, a later state of the same issue is a new entry.
   */
  link(request: LinkRequest, issue: ServiceIssue, text: string): Promise<ChangeResult> {
    const key = `health-link:${request.incidentId}:${issue.id}:${issue.lastModifiedDateTime ?? ''}`;
    return this.incidents.addEntry(
      request.incidentId,
      { kind: 'health', text },
      request.actor,
      key,
      request.tenantId,
    );
  }
}
