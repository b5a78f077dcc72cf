import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, type AppOverrides, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import { startSandboxGraph, type SandboxGraph } from '../../src/sandbox/sandbox-graph';
import { SANDBOX_TEAM } from '../../src/sandbox/seed-tenant';
import { FakeConnector } from './fake-connector';

/** Tenants of the recorded fixtures plus the sandbox's, allowed in tests. */
export const FIXTURE_TENANTS = [
  'ac44f4ea-9c40-4d8d-bf7a-79ff28040c7f',
  'b1a60f0a-dd57-4c2d-ac85-03049f57c697',
  'a134e4c7-7e68-42d8-b1ce-480a3f1fb558',
  '00000000-0000-4000-8000-000000000001',
];

export interface HarnessOptions {
  /** Channel mode: the sandbox team's id; thread mode when false. */
  channelMode?: boolean;
  env?: Record<string, string>;
  /** A clock the test moves (cadence reminders, daily digests). */
  clock?: AppOverrides['clock'];
  /** To read what the bot logs; silent when absent. */
  logger?: Logger;
}

/**
 * The whole bot over real HTTP: the real adapter and server, SQLite in memory, the sandbox Graph
 * reached through the real Graph client, and a fake connector standing in for Teams.
 */
export class BotHarness {
  app!: RunningApp;
  graph!: SandboxGraph;
  connector = new FakeConnector();

  static async start(options: HarnessOptions = {}): Promise<BotHarness> {
    const harness = new BotHarness();
    await harness.connector.start();
    harness.graph = await startSandboxGraph();
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      BOT_AUTH: 'disabled',
      DATABASE_URL: 'sqlite::memory:',
      GRAPH_BASE_URL: harness.graph.url,
      GRAPH_AUTH: 'none',
      ALLOWED_TENANT_IDS: FIXTURE_TENANTS.join(','),
      INCIDENT_TEAM_ID: options.channelMode ? SANDBOX_TEAM.id : '',
      LOG_LEVEL: 'silent',
      ...options.env,
    });
    const logger = options.logger ?? createLogger(config.LOG_LEVEL);
    harness.app = await startApp(config, logger, { clock: options.clock });
    return harness;
  }

  async stop(): Promise<void> {
    await this.app.stop();
    await this.graph.close();
    await this.connector.stop();
  }

  /** POSTs an activity to /api/messages with its serviceUrl pointed at the fake connector. */
  async send(activity: Record<string, any>): Promise<{ status: number; body: any }> {
    const withConnector = { ...activity, serviceUrl: this.connector.url };
    const response = await fetch(`${this.app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(withConnector),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
}

export function loadTeamsFixture(name: string): Record<string, any> {
  const file = join(__dirname, '..', 'fixtures', 'teams', name);
  return JSON.parse(readFileSync(file, 'utf8'));
}

let counter = 0;

/** A channel message that @mentions the bot, built like fixture T01 (same ids and tenant). */
export function channelCommand(
  text: string,
  overrides: Record<string, any> = {},
): Record<string, any> {
  const base = loadTeamsFixture('01-channel-mention-no-space-mention-name-differs.json');
  counter += 1;
  return {
    ...base,
    id: `cmd-${Date.now()}-${counter}`,
    text: `<at>Incident Commander</at> ${text}`,
    attachments: [],
    ...overrides,
  };
}

/** An Action.Execute press, built like fixture T27. */
export function cardPress(
  verb: string,
  data: Record<string, unknown>,
  overrides: Record<string, any> = {},
): Record<string, any> {
  const base = loadTeamsFixture('27-adaptivecard-action-execute-manual.json');
  counter += 1;
  return {
    ...base,
    id: `press-${Date.now()}-${counter}`,
    value: { action: { type: 'Action.Execute', id: 'btn', verb, data }, trigger: 'manual' },
    ...overrides,
  };
}

/** The adaptive card attached to a connector call's activity, if any. */
export function cardOf(body: any): any {
  return body?.attachments?.find(
    (a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive',
  )?.content;
}

/** Every text in a card, joined: enough to assert on what a person would read. */
export function cardText(card: any): string {
  const texts: string[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'value') && typeof value === 'string')
          texts.push(value);
        else walk(value);
      }
    }
  };
  walk(card);
  return texts.join('\n');
}
