import { startApp } from './app';
import { loadConfig } from './config';
import { loadEnvFile } from './env-file';
import { createLogger } from './logger';

async function main() {
  const envFile = loadEnvFile();
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  // Names the file, never its values: it holds the app secret.
  logger.info({ envFile: envFile ?? null }, envFile ? 'settings file read' : 'no settings file');
  const app = await startApp(config, logger);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // In-flight requests finish; new ones are refused by the closed listener.
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await app.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // Settings problems are printed plainly so an operator sees them without a log viewer.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
