/**
 * `npm run dev`: the whole bot on this machine with no Azure account. It starts the sandbox
 * Microsoft Graph, the bot (authentication off, SQLite in ./data) and the Microsoft 365 Agents
 * Playground configured with the sandbox's team and people, then prints where to open it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { startSandboxGraph } from '../src/sandbox/sandbox-graph';
import { SANDBOX_TENANT_ID } from '../src/sandbox/seed-tenant';
import { writePlaygroundConfig } from './playground/config';
import { REPO_ROOT, startPlayground } from './playground/launch';
import { localWorld } from './playground/local-world';

async function main() {
  const botPort = Number(process.env.PORT ?? 3978);
  const playgroundPort = Number(process.env.PLAYGROUND_PORT ?? 56150);
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info');

  const graph = await startSandboxGraph({ port: Number(process.env.SANDBOX_GRAPH_PORT ?? 5299) });

  mkdirSync(join(REPO_ROOT, 'data'), { recursive: true });
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: String(botPort),
    BOT_AUTH: 'disabled',
    DATABASE_URL: process.env.DATABASE_URL ?? 'sqlite:./data/dev.db',
    GRAPH_BASE_URL: graph.url,
    GRAPH_AUTH: 'none',
    ALLOWED_TENANT_IDS: SANDBOX_TENANT_ID,
    // The Playground shows only the channels in its config, so a channel made through the
    // sandbox Graph could never be seen there: locally, incidents run in thread mode.
    INCIDENT_TEAM_ID: process.env.INCIDENT_TEAM_ID ?? '',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  });
  const app = await startApp(config, logger);

  const configDir = join(REPO_ROOT, '.dev', 'playground');
  writePlaygroundConfig(configDir, localWorld());
  const playground = await startPlayground({
    configDir,
    botEndpoint: `http://127.0.0.1:${botPort}/api/messages`,
    port: playgroundPort,
  });

  console.log(`
  Incident bot is running locally.
    Playground (open in a browser): ${playground.url}
    Bot endpoint:                   ${app.url}/api/messages
    Sandbox Microsoft Graph:        ${graph.url}

  In the Playground, open "Incident Response - Incidents", type @ and pick "Incident Bot", then
  "declare Exchange Online mail delays sev2". Press Ctrl+C to stop.
`);

  const stop = async () => {
    await playground.stop();
    await app.stop();
    await graph.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
