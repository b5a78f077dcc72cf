import assert from 'node:assert/strict';
import { GraphIdentity } from '../../src/graph/graph-identity';
import { GraphDefender } from '../../src/graph/graph-security';
import { describeOutcome } from '../../src/security/outcomes';
import { SANDBOX_USERS } from '../../src/sandbox/seed-tenant';
import {
  fixture,
  silentLogger,
  startSandboxWithClient,
  type SandboxWithClient,
} from '../sandbox/sandbox-kit';

const INCIDENTS = fixture('03-incidents-expand-alerts');
const RISKY = fixture('05-riskyusers-deleted-and-processing');
const HUNTING = fixture('07-runhuntingquery-pascalcase-schema');
const DENIED = fixture('09-403-revoke-sessions-denied');
const THROTTLED = fixture('11-429-throttled-retry-after');
const GONE = fixture('14-404-request-resource-not-found');

describe('GraphDefender and GraphIdentity against recorded Graph answers', () => {
  let kit: SandboxWithClient;
  let defender: GraphDefender;
  let identity: GraphIdentity;

  beforeEach(async () => {
    kit = await startSandboxWithClient({ maxRetries: 3 });
    defender = new GraphDefender(kit.client, silentLogger);
    identity = new GraphIdentity(kit.client, silentLogger);
  });

  afterEach(() => kit.sandbox.close());

  it('links to the incident itself, not to the other incident an alert points at (G03)', async () => {
    const body = (INCIDENTS.body as { value: object[] }).value[0];
    kit.sandbox.serveFixture(
      { ...INCIDENTS, body },
      { method: 'GET', path: /\/security\/incidents\// },
    );

    const incident = await defender.getIncident('2972395');

    assert.match(incident?.webUrl ?? '', /\/incidents\/2972395\?/);
    assert.deepEqual(incident?.alerts[0].mitreTechniques, ['T1564.001']);
  });

  it('finds no account in device, file, process and registry evidence (G03)', async () => {
    const body = (INCIDENTS.body as { value: object[] }).value[0];
    kit.sandbox.serveFixture(
      { ...INCIDENTS, body },
      { method: 'GET', path: /\/security\/incidents\// },
    );

    const incident = await defender.getIncident('2972395');

    assert.deepEqual(incident?.accounts, []);
    assert.match(incident?.title ?? '', /Initial access & Command/);
  });

  it('keeps a deleted, still processing risky user with both flags (G05)', async () => {
    kit.sandbox.serveFixture(RISKY, { path: /\/identityProtection\/riskyUsers$/ });

    const [riley] = await identity.listRiskyUsers();

    assert.equal(riley.isDeleted && riley.isProcessing, true);
    assert.equal(riley.lastUpdated, '2016-01-29T20:03:57.7872426Z');
  });

  it('reads a PascalCase hunting schema and its 7-digit timestamps as text (G07)', async () => {
    kit.sandbox.serveFixture(HUNTING);

    const result = await defender.runHuntingQuery('DeviceEvents | take 2');

    assert.deepEqual(result.columns, ['Timestamp', 'FileName', 'InitiatingProcessFileName']);
    assert.equal(result.rows[0].Timestamp, '2020-08-30T06:38:35.7664356Z');
  });

  it('reports a 403 with its request id and no retry (G09)', async () => {
    kit.sandbox.serveFixture(DENIED, { path: /\/revokeSignInSessions$/ });

    const outcome = await identity.revokeSessions(SANDBOX_USERS.quinn.id);

    assert.deepEqual(outcome, {
      ok: false,
      status: 403,
      code: 'Authorization_RequestDenied',
      requestId: '4da6bef4-83fe-4b96-9411-6d5d09949d7e',
    });
    assert.equal(kit.sandbox.requests.length, 1);
  });

  it('waits the recorded Retry-After first, then backs off beyond it while it stays 1 s (G11)', async () => {
    kit.sandbox.serveFixture(THROTTLED, { method: 'PATCH', path: /\/users\//, times: 10 });

    const outcome = await identity.setAccountEnabled(SANDBOX_USERS.quinn.id, false);

    assert.equal(outcome.status, 429);
    // Steps of 1, 2 and 4 s less at most half of jitter: the third wait is at least 2 s.
    assert.deepEqual(
      { first: kit.waits[0], thirdAtLeast2s: kit.waits[2] >= 2000 },
      { first: 1000, thirdAtLeast2s: true },
    );
  });

  it('gives a throttled containment write up within its 10 s budget, not its retries (G11)', async () => {
    // Twenty retries allowed: only the budget of a write can end the waits.
    const patient = await startSandboxWithClient({ maxRetries: 20 });
    patient.sandbox.serveFixture(THROTTLED, { method: 'PATCH', path: /\/users\//, times: 50 });

    const outcome = await new GraphIdentity(patient.client, silentLogger)
      .setAccountEnabled(SANDBOX_USERS.quinn.id, false)
      .finally(() => patient.sandbox.close());

    const waited = patient.waits.reduce((sum, ms) => sum + ms, 0);
    assert.equal(outcome.status, 429);
    assert.ok(waited <= 10_000 && patient.waits.length < 20, `waited ${patient.waits.join(', ')}`);
  });

  it('treats a 404 as an account that no longer exists, without retrying (G14)', async () => {
    kit.sandbox.serveFixture(GONE, { method: 'GET', path: /\/users\// });

    assert.equal(await identity.getAccount('90ee1f54-c1ad-435f-82eb-b988d567b8ee'), undefined);
    assert.equal(kit.sandbox.requests.length, 1);
  });
});

describe('describeOutcome', () => {
  it('counts any 2xx as done', () => {
    assert.equal(describeOutcome('revoke', { ok: true, status: 200 }).state, 'succeeded');
    assert.equal(describeOutcome('block', { ok: true, status: 204 }).state, 'succeeded');
  });

  it('names the permission of the action, not of the message, on a 403', () => {
    const view = describeOutcome('confirm', { ok: false, status: 403, requestId: 'r-1' });
    assert.equal(view.state, 'failed');
    assert.match(view.detail, /IdentityRiskyUser\.ReadWrite\.All \(Graph request id r-1\)/);
  });
});
