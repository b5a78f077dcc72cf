import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Incident, TimelineEntry } from '../../src/incidents/incident';

/** A database that exists only for one test run. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface StoreTarget {
  dialect: 'sqlite' | 'postgres';
  /** False when the target cannot run here (no TEST_DATABASE_URL for PostgreSQL). */
  enabled: boolean;
  create(): Promise<ScratchDatabase>;
}

export const sqliteTarget: StoreTarget = {
  dialect: 'sqlite',
  enabled: true,
  // A file rather than :memory: so a second connection can open the same database.
  async create() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-store-'));
    return {
      url: `sqlite:${path.join(dir, 'nested', 'store.db')}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  },
};

export const postgresTarget: StoreTarget = {
  dialect: 'postgres',
  enabled: /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? ''),
  // A database of its own per run so parallel runs and leftovers never collide.
  async create() {
    const adminUrl = process.env.TEST_DATABASE_URL ?? '';
    const name = `incident_bot_test_${randomBytes(6).toString('hex')}`;
    await withClient(adminUrl, (client) => client.query(`create database ${name}`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: () =>
        withClient(adminUrl, (client) =>
          client.query(`drop database if exists ${name} with (force)`),
        ),
    };
  },
};

async function withClient(url: string, work: (client: Client) => Promise<unknown>) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

export const alice = { id: 'aad-alice', name: 'Alice Adams', teamsId: '29:alice' };
export const bob = { id: 'aad-bob', name: 'Bob Brown', needsTeamMembership: true };

/** An incident with every optional field filled, so a round trip checks them all. */
export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: randomUUID(),
    tenantId: 'tenant-a',
    number: 1,
    title: 'Checkout returns 500',
    description: 'Payments fail for EU customers — “ünïcode” kept',
    severity: 2,
    status: 'investigating',
    roles: { commander: alice, comms: bob },
    affectedServices: ['checkout', 'payments'],
    affectedUsers: 1200,
    impactScope: 'EU only',
    declaredBy: alice,
    acknowledgedBy: bob,
    acknowledgedAt: '2025-01-02T03:05:00.000Z',
    latestUpdate: 'Rolling back deploy 42',
    place: {
      mode: 'channel',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      conversationId: '19:abc@thread.tacv2;messageid=1700000000000',
      channelId: '19:abc@thread.tacv2',
      summaryActivityId: '1700000000000',
      webUrl: 'https://teams.microsoft.com/l/channel/19%3aabc',
    },
    createdAt: '2025-01-02T03:04:00.000Z',
    updatedAt: '2025-01-02T03:06:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** The same incident with no optional data: nulls and empty collections. */
export function makeBareIncident(overrides: Partial<Incident> = {}): Incident {
  return makeIncident({
    roles: {},
    affectedServices: [],
    affectedUsers: null,
    impactScope: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    latestUpdate: null,
    place: null,
    ...overrides,
  });
}

export function makeEntry(
  incidentId: string,
  overrides: Partial<TimelineEntry> = {},
): TimelineEntry {
  return {
    id: randomUUID(),
    incidentId,
    at: '2025-01-02T03:04:00.000Z',
    actor: alice,
    kind: 'note',
    text: 'note',
    ...overrides,
  };
}

export function uniqueTenant(): string {
  return `tenant-${randomUUID()}`;
}
