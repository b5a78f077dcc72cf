import assert from 'node:assert/strict';
import type { Client } from '@microsoft/microsoft-graph-client';
import { DependencyError } from '../../src/errors';
import { createGraphClient } from '../../src/graph/graph-client';
import { graphErrorDetails, toDependencyError } from '../../src/graph/graph-errors';
import {
  fixture,
  rejectionOf,
  silentLogger,
  startSandboxWithClient,
  type SandboxWithClient,
} from '../sandbox/sandbox-kit';

const MISSING_USER = '90ee1f54-c1ad-435f-82eb-b988d567b8ee';

describe('toDependencyError', () => {
  let kit: SandboxWithClient;

  beforeEach(async () => {
    kit = await startSandboxWithClient();
  });

  afterEach(() => kit.sandbox.close());

  async function failureOf(client: Client, path: string): Promise<DependencyError> {
    return toDependencyError(await rejectionOf(client.api(path).get()), 'look up the user');
  }

  it('takes status, code and request id from the recorded 404', async () => {
    kit.sandbox.serveFixture(fixture('14-404-request-resource-not-found'));

    const error = await failureOf(kit.client, `/users/${MISSING_USER}`);

    assert.equal(error.dependency, 'graph');
    assert.deepEqual(error.details, {
      status: 404,
      code: 'Request_ResourceNotFound',
      requestId: '19e5c41f-cbb5-4474-8121-4ac9ba05eed7',
    });
  });

  it('keeps Graph JSON and Graph wording out of the message', async () => {
    kit.sandbox.serveFixture(fixture('14-404-request-resource-not-found'));

    const error = await failureOf(kit.client, `/users/${MISSING_USER}`);

    assert.doesNotMatch(error.message, /[{}"]|innerError|does not exist/);
    assert.ok(error.cause, 'the Graph error stays attached as the cause');
  });

  it('falls back to the client-request-id when the body has no request-id', async () => {
    kit.sandbox.addFault({
      method: 'GET',
      path: /\/users\//,
      status: 400,
      body: {
        error: { code: 'BadRequest', message: 'x', innerError: { 'client-request-id': 'c-1' } },
      },
      headers: { 'request-id': 'from-header' },
    });

    const error = await failureOf(kit.client, '/users/x');

    assert.equal(error.details.requestId, 'c-1');
  });

  it('uses the request-id header when the body carries none', async () => {
    kit.sandbox.addFault({
      method: 'GET',
      path: /\/users\//,
      status: 409,
      body: { error: { code: 'Conflict', message: 'x' } },
      headers: { 'request-id': 'from-header' },
    });

    const error = await failureOf(kit.client, '/users/x');

    assert.deepEqual(error.details, { status: 409, code: 'Conflict', requestId: 'from-header' });
  });

  it('has no status when Graph could not be reached', async () => {
    const url = kit.sandbox.url;
    await kit.sandbox.close();
    const client = createGraphClient({ baseUrl: url, auth: 'none', logger: silentLogger });

    const error = await failureOf(client, '/users/x');

    assert.deepEqual(error.details, {});
    assert.match(error.message, /Could not reach Microsoft Graph/);
  });

  it('reads details only from status and code of a non-Graph error', () => {
    assert.deepEqual(graphErrorDetails(new Error('404 Not Found')), {});
  });
});
