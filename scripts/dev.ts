/**
 * `npm run dev`: the whole bot on this machine with no Azure account. It starts the sandbox
 * Microsoft Graph, the bot (authentication off, SQLite in ./data) and the Microsoft 365 Agents
 * Playground configured with the sandbox's team and people, then prints where to open it.
 *
 * It does not read `.env`: that file holds a deployment's settings (production, its database),
 * which this local world must not pick up. Only the ports, the database and the log level below
 * come from the environment.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './playground/launch';
import { startLocalWorld } from './playground/local-world';

async function main() {
  mkdirSync(join(REPO_ROOT, 'data'), { recursive: true });
  const world = await startLocalWorld({
    botPort: Number(process.env.PORT ?? 3978),
    playgroundPort: Number(process.env.PLAYGROUND_PORT ?? 56150),
    graphPort: Number(process.env.SANDBOX_GRAPH_PORT ?? 5299),
    databaseUrl: process.env.DATABASE_URL ?? 'sqlite:./data/dev.db',
    configDir: join(REPO_ROOT, '.dev', 'playground'),
    logLevel: process.env.LOG_LEVEL ?? 'info',
  });

  console.log(`
  Incident bot is running locally.
    Playground (open in a browser): ${world.playground.url}
    Bot endpoint:                   ${world.app.url}/api/messages
    Sandbox Microsoft Graph:        ${world.graph.url}

  In the Playground, open "Incident Response - Incidents", type @ and pick "Incident Bot", then
  "declare Exchange Online mail delays sev2". Press Ctrl+C to stop.
`);

  const stop = async () => {
    await world.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
