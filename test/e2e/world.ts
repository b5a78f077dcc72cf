import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/playground/launch';
import { startLocalWorld, type LocalWorld } from '../../scripts/playground/local-world';
import { launchBrowser, openPlayground, screenshot, type BrowserHandle } from './playground-driver';

export const RESULTS_DIR = join(REPO_ROOT, 'test-results');

/** One local world (sandbox Graph, bot, Playground) and one browser for a whole e2e file. */
export class E2eWorld {
  world!: LocalWorld;
  browser!: BrowserHandle;

  static async start(env: Record<string, string> = {}): Promise<E2eWorld> {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const e2e = new E2eWorld();
    e2e.world = await startLocalWorld({
      configDir: mkdtempSync(join(tmpdir(), 'e2e-playground-')),
      playgroundPort: 56170,
      logLevel: 'warn',
      env,
    });
    e2e.browser = await launchBrowser();
    await openPlayground(e2e.browser.page, e2e.world.playground.url);
    return e2e;
  }

  get page() {
    return this.browser.page;
  }

  /** Restarts the Playground as another person and reloads the page. */
  async actAs(userId: string): Promise<void> {
    const playground = await this.world.switchUser(userId);
    await openPlayground(this.page, playground.url);
  }

  shot(name: string): Promise<string> {
    return screenshot(this.page, join(RESULTS_DIR, name));
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.world?.stop();
  }
}
