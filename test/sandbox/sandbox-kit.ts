import path from 'node:path';
import type { Client } from '@microsoft/microsoft-graph-client';
import { createGraphClient } from '../../src/graph/graph-client';
import type { GraphRetryOptions } from '../../src/graph/graph-retry';
import { createLogger } from '../../src/logger';
import { loadGraphFixture, type GraphFixture } from '../../src/sandbox/graph-fixture';
import { startSandboxGraph, type SandboxGraph } from '../../src/sandbox/sandbox-graph';

export const silentLogger = createLogger('silent');

const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'graph');

/** A recorded answer from test/fixtures/graph by file name without '.json'. */
export function fixture(name: string): GraphFixture {
  return loadGraphFixture(path.join(FIXTURE_DIR, `${name}.json`));
}

export interface SandboxWithClient {
  sandbox: SandboxGraph;
  client: Client;
  /** Every wait the retry handler asked for, in ms; nothing really waits. */
  waits: number[];
}

/** A fresh sandbox and a real Graph client pointed at it over HTTP. */
export async function startSandboxWithClient(
  retry: GraphRetryOptions = {},
): Promise<SandboxWithClient> {
  const sandbox = await startSandboxGraph();
  const waits: number[] = [];
  const client = createGraphClient({
    baseUrl: sandbox.url,
    auth: 'none',
    logger: silentLogger,
    retry: {
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...retry,
    },
  });
  return { sandbox, client, waits };
}

/** The rejection of `promise`, failing the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
