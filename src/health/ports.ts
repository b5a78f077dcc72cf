import type { HealthReport, ServiceIssue } from './service-health';

/**
 * Microsoft 365 service health (Graph service communications, ServiceHealth.Read.All). Errors
 * are DependencyError; a 401 or 403 names the missing permission.
 */
export interface ServiceHealthSource {
  /** Every service with its issues (`healthOverviews?$expand=issues`), all pages up to a bound. */
  healthOverviews(): Promise<HealthReport>;
  /** One issue by Microsoft's id; undefined when Graph does not know it. */
  issue(id: string): Promise<ServiceIssue | undefined>;
}
