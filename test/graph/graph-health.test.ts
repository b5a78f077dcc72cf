import assert from 'node:assert/strict';
import pino from 'pino';
import { DependencyError } from '../../src/errors';
import { GraphServiceHealth } from '../../src/graph/graph-health';
import { isIssueResolved, needsAttention } from '../../src/health/service-health';
import { healthOf } from '../../src/sandbox/routes-health';
import {
  fixture,
  rejectionOf,
  startSandboxWithClient,
  type SandboxWithClient,
} from '../sandbox/sandbox-kit';

const OVERVIEWS = '/v1.0/admin/serviceAnnouncement/healthOverviews';

/** G01 as page one of two, its nextLink pointing at the sandbox. */
function pagedFixture(kit: SandboxWithClient, nextLink: string) {
  const recorded = fixture('01-healthoverviews-expand-issues');
  const body = structuredClone(recorded.body) as Record<string, unknown>;
  body['@odata.nextLink'] = nextLink;
  kit.sandbox.serveFixture({ ...recorded, body }, { path: OVERVIEWS });
}

describe('GraphServiceHealth', () => {
  let kit: SandboxWithClient;
  let health: GraphServiceHealth;
  let logLines: Array<{ msg: string }>;

  beforeEach(async () => {
    kit = await startSandboxWithClient({ maxRetries: 0 });
    logLines = [];
    const logger = pino(
      { level: 'warn' },
      { write: (raw: string) => logLines.push(JSON.parse(raw)) },
    );
    health = new GraphServiceHealth(kit.client, logger, kit.sandbox.url);
  });

  afterEach(() => kit.sandbox.close());

  describe('the recorded answer (G01)', () => {
    beforeEach(() => {
      kit.sandbox.serveFixture(fixture('01-healthoverviews-expand-issues'));
    });

    it('reads Exchange Online as operational with its issue resolved', async () => {
      const [exchange] = (await health.healthOverviews()).services;

      assert.equal(needsAttention(exchange), false);
      assert.equal(isIssueResolved(exchange.issues[0]), true);
    });

    it('keeps the apostrophe of a plain-text post labelled Html', async () => {
      const [exchange] = (await health.healthOverviews()).services;

      assert.equal(
        exchange.issues[0].latestPost,
        "Title: Exchange Online service has login issue. We'll provide an update within 30 minutes.",
      );
    });

    it('keeps the classification in lower case and the long title whole', async () => {
      const [issue] = (await health.healthOverviews()).services[0].issues;

      assert.equal(issue.classification, 'advisory');
      assert.equal(issue.title.length, 104);
    });
  });

  it('follows @odata.nextLink to the second page', async () => {
    pagedFixture(
      kit,
      `${kit.sandbox.url}/admin/serviceAnnouncement/healthOverviews?$expand=issues&$skiptoken=2`,
    );

    const report = await health.healthOverviews();

    assert.equal(report.services[0].id, 'Exchange');
    assert.deepEqual(
      report.services.slice(1).map((service) => service.id),
      [
        'SharePoint',
        'OSDPPlatform',
        'OneDriveForBusiness',
        'OrgLiveID',
        'OfficeClient',
        'Intune',
        'MicrosoftDefenderXDR',
        'PowerBIcom',
        'Planner',
        'Forms',
      ],
    );
  });

  it('reads every page of the sandbox when it pages at two', async () => {
    healthOf(kit.sandbox.state).pageSize = 2;

    const report = await health.healthOverviews();

    assert.equal(report.services.length, healthOf(kit.sandbox.state).overviews.length);
    assert.equal(kit.sandbox.requests.length, 6);
  });

  it('stops after ten pages and says the list is incomplete', async () => {
    healthOf(kit.sandbox.state).pageSize = 1;
    healthOf(kit.sandbox.state).overviews.push(...healthOf(kit.sandbox.state).overviews);

    const report = await health.healthOverviews();

    assert.equal(kit.sandbox.requests.length, 10);
    assert.deepEqual([report.services.length, report.complete], [10, false]);
  });

  it('does not follow a next link to another host', async () => {
    pagedFixture(kit, 'https://evil.example.org/v1.0/admin/serviceAnnouncement/healthOverviews');

    const report = await health.healthOverviews();

    assert.deepEqual([report.services.length, report.complete], [1, false]);
    assert.ok(logLines.some((line) => /next page not followed/.test(line.msg)));
  });

  it('skips a malformed service and a malformed issue with a log line each', async () => {
    const overviews = healthOf(kit.sandbox.state).overviews;
    overviews.push({ id: 'Broken', status: 'serviceOperational' }, 42 as never);
    (overviews[1].issues as unknown[]).push({ title: 'no id' });

    const report = await health.healthOverviews();

    assert.equal(report.services.length, overviews.length - 2);
    assert.deepEqual(logLines.map((line) => line.msg).sort(), [
      'service health issue skipped: unexpected shape',
      'service health overview skipped: unexpected shape',
      'service health overview skipped: unexpected shape',
    ]);
  });

  it('turns HTML posts into text with entities decoded', async () => {
    const teams = (await health.healthOverviews()).services.find((s) => s.id === 'microsoftteams');

    assert.match(
      teams!.issues[0].latestPost!,
      /^Title: Meeting join failures\nUser impact: Users can't join meetings from the desktop client & may see/,
    );
  });

  it('names ServiceHealth.Read.All when Graph answers 403', async () => {
    kit.sandbox.failNext('GET', OVERVIEWS, 403);

    const error = (await rejectionOf(health.healthOverviews())) as DependencyError;

    assert.ok(error instanceof DependencyError);
    assert.match(
      error.message,
      /needs the Microsoft Graph application permission ServiceHealth\.Read\.All/,
    );
  });

  it('reads one issue by id, and nothing for an unknown id', async () => {
    const issue = await health.issue('TM512345');
    const missing = await health.issue('XX000000');

    assert.equal(issue?.service, 'Microsoft Teams');
    assert.equal(missing, undefined);
  });
});
