/**
 * Helpers to run the Microsoft 365 Agents Playground (@microsoft/m365agentsplayground 0.2.28) against a bot
 * and drive its web UI with playwright-core + Debian Chromium (/usr/bin/chromium). Fully offline.
 *
 * Typical use:
 *   const cfg = writePlaygroundConfig(dir, INCIDENT_WORLD);              // scripts/playground/config.ts
 *   const pg = await startPlayground({ configDir: dir, botEndpoint: 'http://127.0.0.1:3978/api/messages' });
 *   const ui = await launchBrowser();
 *   await openPlayground(ui.page, pg.url);
 *   await openChannel(ui.page, 'Incident Response', 'Incidents');
 *   await sendMessage(ui.page, 'declare sev2', { mention: 'Incident Bot' });
 *   const card = await waitForCard(ui.page, 'Echo card');
 *   await clickCardButton(card, 'Press me');
 *   await screenshot(ui.page, '/tmp/pg-x.png');
 *   await ui.close(); await pg.stop();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { collect, REPO_ROOT, stopChild, waitFor } from '../../scripts/playground/launch';

export * from '../../scripts/playground/launch';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface StartBotOptions {
  /** TS or JS entry, run with `node --require tsx/cjs` from the repo root. */
  entry: string;
  /** Health URL polled until it answers (any HTTP status), e.g. http://127.0.0.1:3978/api/messages */
  readyUrl: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  verbose?: boolean;
}

/** Start a bot (e.g. scripts/playground/echo-bot.ts) as one node process; resolves when readyUrl answers. */
export async function startBot(
  opts: StartBotOptions,
): Promise<{ child: ChildProcess; output(): string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', opts.entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = collect(child);
  if (opts.verbose) {
    child.stdout?.on('data', (d) => process.stderr.write(`[bot] ${d}`));
    child.stderr?.on('data', (d) => process.stderr.write(`[bot] ${d}`));
  }
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    await waitFor(
      `bot at ${opts.readyUrl}`,
      opts.timeoutMs ?? 30_000,
      async () => {
        const r = await fetch(opts.readyUrl).catch(() => undefined);
        return r ? true : undefined;
      },
      () => (exited ? new Error(`bot exited:\n${out.text()}`) : undefined),
    );
  } catch (e) {
    await stopChild(child);
    throw e;
  }
  return { child, output: () => out.text(), stop: () => stopChild(child) };
}

// ---------------------------------------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------------------------------------

export interface BrowserHandle {
  context: BrowserContext;
  page: Page;
  userDataDir: string;
  close(): Promise<void>;
}

/** Launch headless Debian Chromium with a fresh user-data dir (removed on close). */
export async function launchBrowser(
  opts: { headless?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<BrowserHandle> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pg-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: opts.headless ?? true,
    args: CHROMIUM_ARGS,
    viewport: opts.viewport ?? { width: 1400, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    userDataDir,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Load the Playground UI. Note: every page load (and the first visit of each chat/channel per page load) makes the
 * Playground send installationUpdate + conversationUpdate to the bot. Message history is NOT kept across loads.
 */
export async function openPlayground(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.getByRole('treeitem', { name: 'Personal Chat' }).waitFor({ timeout: 30_000 });
}

/** Open the personal chat (name 'Personal Chat') or the group chat (its configured name). */
export async function openChat(page: Page, name = 'Personal Chat'): Promise<void> {
  await page.getByRole('treeitem', { name, exact: true }).click();
  await page.getByRole('button', { name: 'Send Message' }).first().waitFor();
}

/** Open a team channel; the tree item is named "<team> - <channel>". */
export async function openChannel(
  page: Page,
  teamName: string,
  channelName: string,
): Promise<void> {
  await page.getByRole('treeitem', { name: `${teamName} - ${channelName}`, exact: true }).click();
  await page.getByRole('button', { name: 'Post', exact: true }).waitFor();
}

export interface SendOptions {
  /** @mention this account (bot name or user display name) at the start of the message. */
  mention?: string;
  /**
   * In a channel: reply inside the thread whose root post contains this text. Without it a channel message
   * starts a new post (button "Post"). Ignored in chats.
   */
  inThreadWith?: string | RegExp;
}

/** The channel thread (root post + replies + its reply box) containing `text`; newest threads are on top. */
export function thread(page: Page, text: string | RegExp): Locator {
  return page
    .getByRole('group')
    .filter({ hasText: text })
    .filter({ has: page.getByRole('button', { name: 'Send Message' }) })
    .first();
}

/**
 * Type and send a message in the open chat or channel. In a channel without @mention the Playground (like Teams)
 * does not deliver the message to the bot.
 */
export async function sendMessage(page: Page, text: string, opts: SendOptions = {}): Promise<void> {
  const inChannel = await page.getByRole('button', { name: 'Post', exact: true }).isVisible();
  let box: Locator;
  let send: Locator;
  if (inChannel && opts.inThreadWith) {
    const t = thread(page, opts.inThreadWith);
    box = t.getByRole('textbox');
    send = t.getByRole('button', { name: 'Send Message' });
  } else if (inChannel) {
    // The composer is the group holding the "Post" button (its "Start a new post" placeholder vanishes on focus).
    const composer = page
      .getByRole('group')
      .filter({ has: page.getByRole('button', { name: 'Post', exact: true }) });
    box = composer.getByRole('textbox').first();
    send = page.getByRole('button', { name: 'Post', exact: true });
  } else {
    box = page.getByRole('textbox').last();
    send = page.getByRole('button', { name: 'Send Message' }).last();
  }
  await box.click();
  if (opts.mention) {
    await box.pressSequentially('@');
    await page.getByRole('menuitem').filter({ hasText: opts.mention }).first().click();
    await box.pressSequentially(' ');
  }
  await box.pressSequentially(text);
  await send.click();
}

/** Wait for the last Adaptive Card (`.ac-adaptiveCard`) whose text contains `text`. */
export async function waitForCard(
  page: Page | Locator,
  text: string | RegExp,
  timeoutMs = 15_000,
): Promise<Locator> {
  const card = page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
  await card.waitFor({ state: 'visible', timeout: timeoutMs });
  return card;
}

/** Wait until some message text is visible (bot text replies are paragraphs). */
export async function waitForText(
  page: Page | Locator,
  text: string | RegExp,
  timeoutMs = 15_000,
): Promise<Locator> {
  const loc = page.getByText(text).last();
  await loc.waitFor({ state: 'visible', timeout: timeoutMs });
  return loc;
}

/** Click a card button (Action.Execute / Action.Submit / ...) by its title. */
export async function clickCardButton(card: Locator, buttonName: string): Promise<void> {
  await card.getByRole('button', { name: buttonName, exact: true }).click();
}

/** Full-viewport screenshot (the message list scrolls inside a container: fullPage adds nothing). */
export async function screenshot(page: Page, path: string): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path });
  return path;
}

/** Stop everything that was started (browser first, then Playground, then bots); ignores undefined. */
export async function stopAll(
  ...things: ({ close(): Promise<void> } | { stop(): Promise<void> } | undefined)[]
): Promise<void> {
  for (const t of things) {
    if (!t) continue;
    try {
      if ('close' in t) await t.close();
      else await t.stop();
    } catch {
      /* keep stopping the rest */
    }
  }
}
