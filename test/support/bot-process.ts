/**
 * The whole bot in a child process, for tests that kill it or run two side by side. Settings
 * come from the environment; it tells the parent its URL once listening.
 */
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';

async function main() {
  const config = loadConfig();
  const app = await startApp(config, createLogger(config.LOG_LEVEL));
  process.send?.({ type: 'ready', url: app.url });
  process.on('SIGTERM', () => {
    void app.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.send?.({ type: 'failed', error: String(error) });
  process.exit(1);
});
