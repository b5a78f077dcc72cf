import { renderHealthSummary, renderServiceDetail } from '../../src/cards/health-card';
import type { ServiceHealth, ServiceIssue } from '../../src/health/service-health';
import type { Incident } from '../../src/incidents/incident';

interface Hostile {
  makeIncident: (overrides?: Partial<Incident>) => Incident;
  /** Template syntax and markdown: Graph text is as untrusted as what users type. */
  lookalikes: string[];
  markdown: string[];
}

interface CardCase {
  name: string;
  render: () => Record<string, unknown>;
}

const NOW = new Date('2020-11-21T09:00:00Z');

/** Cases for the service health template, at the largest sizes the builder shows. */
export function healthCardCases({ makeIncident, lookalikes, markdown }: Hostile) {
  const hostile = `${markdown.join(' ')} ${lookalikes.join(' ')} <b>html</b> & \uFFFD\t🔥 We'll`;
  const issue = (i: number, extra: Partial<ServiceIssue> = {}): ServiceIssue => ({
    id: `EX${226574 + i}`,
    service: `Service ${i} ${hostile}`,
    title: `Admins are unable to migrate some user mailboxes ${hostile} `.repeat(6),
    classification: i % 3 === 0 ? 'advisory' : i % 3 === 1 ? 'incident' : 'unknown',
    status: i % 2 ? 'serviceDegradation' : 'someFutureStatus',
    isResolved: false,
    startDateTime: '2020-11-20T07:00:00Z',
    lastModifiedDateTime: '2020-11-21T08:00:00Z',
    impactDescription: `Users may be affected ${hostile} `.repeat(30),
    feature: `Feature ${hostile}`,
    latestPost: `Title: login issue.\n${hostile} `.repeat(40),
    ...extra,
  });
  const service = (i: number, status: string, issues: ServiceIssue[]): ServiceHealth => ({
    id: `svc${i}`,
    service: `Service ${i} ${hostile}`,
    status,
    issues,
  });
  const resolved = issue(99, {
    status: 'ServiceRestored',
    isResolved: true,
    endDateTime: '2020-11-20T17:00:00Z',
  });
  const attention = Array.from({ length: 20 }, (_, i) =>
    service(i, i % 4 === 0 ? 'serviceOperational' : 'serviceInterruption', [
      issue(i),
      issue(i + 100),
    ]),
  );
  const operational = Array.from({ length: 40 }, (_, i) =>
    service(i + 50, 'serviceOperational', i === 0 ? [resolved] : []),
  );
  const view = { now: NOW, timeZone: 'Europe/Berlin', incident: makeIncident() };

  const cases: Record<string, CardCase[]> = {
    'service-health': [
      {
        name: 'twenty services with forty open issues, in an incident, list incomplete',
        render: () => renderHealthSummary({ attention, operational, complete: false }, view),
      },
      {
        name: 'every service operational, one resolved issue, outside an incident',
        render: () =>
          renderHealthSummary({ attention: [], operational, complete: true }, { now: NOW }),
      },
      {
        name: 'one service with open and resolved issues, in an incident',
        render: () =>
          renderServiceDetail(
            {
              service: attention[1],
              open: Array.from({ length: 14 }, (_, i) => issue(i)),
              resolved: [resolved, resolved],
            },
            view,
          ),
      },
      {
        name: 'one quiet service in a closed incident',
        render: () =>
          renderServiceDetail(
            { service: operational[1], open: [], resolved: [] },
            { now: NOW, incident: makeIncident({ status: 'closed' }) },
          ),
      },
    ],
  };
  return cases;
}
