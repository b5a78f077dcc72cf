import assert from 'node:assert/strict';
import type { GraphError } from '@microsoft/microsoft-graph-client';
import { createGraphClient, splitGraphBaseUrl } from '../../src/graph/graph-client';
import { startSandboxGraph, type SandboxGraph } from '../../src/sandbox/sandbox-graph';
import { SANDBOX_TEAM, SANDBOX_USERS } from '../../src/sandbox/seed-tenant';
import {
  fixture,
  rejectionOf,
  silentLogger,
  startSandboxWithClient,
  type SandboxWithClient,
} from '../sandbox/sandbox-kit';

const THROTTLED = fixture('11-429-throttled-retry-after');
const CHANNELS_PATH = `/v1.0/teams/${SANDBOX_TEAM.id}/channels`;

describe('splitGraphBaseUrl', () => {
  it('splits the public Graph URL into host and version', () => {
    assert.deepEqual(splitGraphBaseUrl('https://graph.microsoft.com/v1.0'), {
      baseUrl: 'https://graph.microsoft.com/',
      defaultVersion: 'v1.0',
    });
  });

  it('keeps a port and a path prefix in front of the version', () => {
    assert.deepEqual(splitGraphBaseUrl('http://127.0.0.1:5299/graph/beta/'), {
      baseUrl: 'http://127.0.0.1:5299/graph/',
      defaultVersion: 'beta',
    });
  });
});

describe('createGraphClient', () => {
  let kit: SandboxWithClient;

  beforeEach(async () => {
    kit = await startSandboxWithClient({ maxRetries: 3 });
  });

  afterEach(() => kit.sandbox.close());

  it('sends a relative call to the same path under GRAPH_BASE_URL', async () => {
    const user = await kit.client.api(`/users/${SANDBOX_USERS.jordan.id}`).get();

    assert.equal(user.displayName, 'Jordan Sample');
    assert.equal(kit.sandbox.requests[0].path, `/v1.0/users/${SANDBOX_USERS.jordan.id}`);
  });

  it('waits the recorded lower-case retry-after of a 429 before the retry (G11)', async () => {
    kit.sandbox.serveFixture(THROTTLED, { method: 'GET', path: /\/users\// });

    await kit.client.api(`/users/${SANDBOX_USERS.jordan.id}`).get();

    assert.deepEqual(kit.waits, [1000]);
    assert.equal(kit.sandbox.requests[1].headers['retry-attempt'], '1');
  });

  it('backs off further when Graph repeats the same Retry-After (G11)', async () => {
    kit.sandbox.serveFixture(THROTTLED, { method: 'GET', path: /\/users\//, times: 3 });

    await kit.client.api(`/users/${SANDBOX_USERS.jordan.id}`).get();

    // 1, 2 and 4 s steps, jitter taking at most half: the third wait is at least 2 s.
    assert.equal(kit.waits.length, 3);
    assert.ok(kit.waits[2] >= 2000, `third wait was ${kit.waits[2]} ms`);
  });

  it('keeps every wait within the cap while Retry-After stays 1 s (G11)', async () => {
    const capped = await startSandboxWithClient({ maxRetries: 6, maxDelayMs: 3000 });
    capped.sandbox.serveFixture(THROTTLED, { method: 'GET', path: /\/users\//, times: 6 });

    await capped.client
      .api(`/users/${SANDBOX_USERS.jordan.id}`)
      .get()
      .finally(() => capped.sandbox.close());

    // Past the cap the waits stay at it (less jitter) instead of giving the request up.
    assert.equal(capped.waits.length, 6);
    assert.ok(
      capped.waits.every((ms) => ms <= 3000) && capped.waits[5] >= 1500,
      `waited ${capped.waits.join(', ')}`,
    );
  });

  it('gives up with the 429 once the retries are used up', async () => {
    kit.sandbox.serveFixture(THROTTLED, { method: 'GET', path: /\/users\//, times: 10 });

    const error = (await rejectionOf(kit.client.api('/users/x').get())) as GraphError;

    assert.equal(error.statusCode, 429);
    assert.equal(kit.sandbox.requests.length, 4);
  });

  it('gives up at once when Retry-After is longer than the longest wait', async () => {
    kit.sandbox.addFault({
      method: 'GET',
      path: /\/users\//,
      status: 429,
      headers: { 'Retry-After': '3600' },
    });

    const error = (await rejectionOf(kit.client.api('/users/x').get())) as GraphError;

    assert.equal(error.statusCode, 429);
    assert.equal(kit.sandbox.requests.length, 1);
  });

  it('does not repeat a POST that timed out at the gateway', async () => {
    kit.sandbox.failNext('POST', CHANNELS_PATH, 504);

    const error = (await rejectionOf(
      kit.client.api(`/teams/${SANDBOX_TEAM.id}/channels`).post({ displayName: 'INC-1' }),
    )) as GraphError;

    assert.equal(error.statusCode, 504);
    assert.equal(kit.sandbox.requests.length, 1);
  });

  it('repeats a POST refused with 503', async () => {
    kit.sandbox.failNext('POST', CHANNELS_PATH, 503);

    const channel = await kit.client
      .api(`/teams/${SANDBOX_TEAM.id}/channels`)
      .post({ displayName: 'INC-2' });

    assert.match(channel.id, /^19:/);
    assert.deepEqual(kit.sandbox.requests[1].body, kit.sandbox.requests[0].body);
  });
});

describe('createGraphClient with Azure auth', () => {
  let sandbox: SandboxGraph;

  before(async () => {
    sandbox = await startSandboxGraph();
  });

  after(() => sandbox.close());

  it('asks for no token and sends none to a plain-http Graph', async () => {
    let tokenRequests = 0;
    const credential = {
      getToken: async () => {
        tokenRequests++;
        return { token: 'secret', expiresOnTimestamp: Date.now() + 60_000 };
      },
    };
    const client = createGraphClient({
      baseUrl: sandbox.url,
      auth: 'azure',
      logger: silentLogger,
      credential,
    });

    await client.api(`/users/${SANDBOX_USERS.avery.id}`).get();

    assert.equal(tokenRequests, 0);
    assert.equal(sandbox.requests.at(-1)?.headers.authorization, undefined);
  });
});
