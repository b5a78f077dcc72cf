import { z } from 'zod';
import { createLogger } from '../logger';
import { startSandboxGraph } from './sandbox-graph';
import { SANDBOX_TEAM, SANDBOX_TENANT_ID } from './seed-tenant';

// A dev tool on its own port, so it reads its one setting here rather than through config.ts,
// which describes the bot.
const Settings = z.object({
  SANDBOX_GRAPH_PORT: z.coerce.number().int().min(0).max(65535).default(5299),
  LOG_LEVEL: z.string().default('info'),
});

async function main(): Promise<void> {
  const settings = Settings.parse(process.env);
  const logger = createLogger(settings.LOG_LEVEL).child({ component: 'sandbox-graph' });
  const sandbox = await startSandboxGraph({ port: settings.SANDBOX_GRAPH_PORT, logger });

  logger.info(
    { graphBaseUrl: sandbox.url, tenantId: SANDBOX_TENANT_ID, teamId: SANDBOX_TEAM.id },
    'sandbox graph listening; set GRAPH_BASE_URL to graphBaseUrl and GRAPH_AUTH=none',
  );

  const stop = () => {
    logger.info('sandbox graph stopping');
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('sandbox graph failed to start:', error);
  process.exit(1);
});
