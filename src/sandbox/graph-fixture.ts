import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** A recorded Graph answer: the envelope of the files in test/fixtures/graph. */
export const GraphFixtureSchema = z.object({
  request: z.object({ method: z.string(), url: z.string() }),
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.unknown().optional(),
});

export type GraphFixture = z.infer<typeof GraphFixtureSchema>;

export function parseGraphFixture(json: unknown): GraphFixture {
  return GraphFixtureSchema.parse(json);
}

export function loadGraphFixture(path: string): GraphFixture {
  return parseGraphFixture(JSON.parse(readFileSync(path, 'utf8')));
}

/**
 * A request target reduced to what identifies it: the path and the sorted query pairs. The host
 * is dropped because fixtures were recorded against graph.microsoft.com and replayed locally.
 */
export function requestKey(target: string): string {
  const url = new URL(target, 'http://sandbox.invalid');
  const pairs = [...url.searchParams.entries()].map(([key, value]) => `${key}=${value}`).sort();
  const path = safeDecode(url.pathname).replace(/\/+$/, '');
  return pairs.length > 0 ? `${path}?${pairs.join('&')}` : path;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
