/**
 * Runs the Microsoft 365 Agents Playground (@microsoft/m365agentsplayground) as a child process,
 * for `npm run dev` and for the end-to-end tests. The browser side lives in test/e2e.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
const PLAYGROUND_CLI = join(
  REPO_ROOT,
  'node_modules',
  '@microsoft',
  'm365agentsplayground',
  'cli.js',
);
const SCHEMA_PATCH = join(REPO_ROOT, 'scripts', 'playground', 'schema-patch.cjs');
const CONFIG_FILE = '.m365agentsplayground.yml';

// ---------------------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------------------

/** Stop a child we spawned: SIGTERM, then SIGKILL after `graceMs`. Resolves when it has exited. */
export async function stopChild(child: ChildProcess | undefined, graceMs = 5000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function collect(child: ChildProcess): { text: () => string } {
  let buf = '';
  const add = (d: Buffer) => {
    buf += d.toString();
    if (buf.length > 200_000) buf = buf.slice(-100_000);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return { text: () => buf };
}

export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  fatal?: () => Error | undefined,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    const f = fatal?.();
    if (f) throw f;
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timeout waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

// ---------------------------------------------------------------------------------------------------------
// Playground
// ---------------------------------------------------------------------------------------------------------

export interface StartPlaygroundOptions {
  /** Directory holding `.m365agentsplayground.yml` (written by writePlaygroundConfig). Also the cwd. */
  configDir: string;
  /** Bot endpoint, e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  /** Default 56150. The Playground silently falls back to a random port if taken; the real one is returned. */
  port?: number;
  /** Run with scripts/playground/schema-patch.cjs (needed for >1 extra channel or != 5 other users). Default true. */
  patchSchema?: boolean;
  /** Default 30 s. */
  timeoutMs?: number;
  /** Extra environment. */
  env?: NodeJS.ProcessEnv;
  /** Echo the Playground's stdout/stderr to this process's stderr. */
  verbose?: boolean;
}

export interface PlaygroundHandle {
  /** e.g. http://localhost:56150 (web UI) */
  url: string;
  /** serviceUrl the bot sees: http://localhost:<port>/_connector */
  connectorUrl: string;
  port: number;
  child: ChildProcess;
  /** devTools log (config errors end up here). */
  logFile: string;
  output(): string;
  /** GET /_internal/v1/testConfig: the parsed config as the Playground sees it. */
  config(): Promise<PlaygroundRuntimeConfig>;
  /** POST /_internal/v1/customActivities: forwards the activity as-is to the bot (answers 200 at once). */
  sendCustomActivity(activity: Record<string, unknown>): Promise<void>;
  /** GET /_internal/v1/customActivities/template?conversationId=... */
  customActivityTemplate(conversationId: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface PlaygroundRuntimeConfig {
  config: {
    tenantId: string;
    bot: { id: string; name: string };
    currentUser: { id: string; name: string; aadObjectId: string };
    users: { id: string; name: string; aadObjectId: string }[];
    personalChat: { id: string; name: string };
    groupChats: { id: string; name: string; members: string[] }[];
    teams: {
      id: string;
      name: string;
      aadGroupId: string;
      channels: { id: string; name: string }[];
      members: string[];
    }[];
  };
  internalConfig: Record<string, unknown>;
}

/**
 * Start the Playground as a child process and wait until it listens AND its config loaded.
 * Throws with the reason from the devTools log if the config is invalid (the CLI prints "Listening" and exits).
 */
export async function startPlayground(opts: StartPlaygroundOptions): Promise<PlaygroundHandle> {
  const configDir = resolve(opts.configDir);
  const configPath = join(configDir, CONFIG_FILE);
  if (!existsSync(configPath)) throw new Error(`no ${CONFIG_FILE} in ${configDir}`);
  const logFile = join(configDir, 'devTools', 'm365agentsplayground.log');
  mkdirSync(dirname(logFile), { recursive: true });
  rmSync(logFile, { force: true });
  const port = opts.port ?? 56150;
  const nodeArgs = [
    ...(opts.patchSchema === false ? [] : ['-r', SCHEMA_PATCH]),
    PLAYGROUND_CLI,
    '-e',
    opts.botEndpoint,
    '-c',
    'msteams',
    '-p',
    String(port),
    '--dt',
  ];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: configDir,
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
      M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = collect(child);
  if (opts.verbose) {
    child.stdout?.on('data', (d) => process.stderr.write(`[playground] ${d}`));
    child.stderr?.on('data', (d) => process.stderr.write(`[playground] ${d}`));
  }
  let exitInfo: string | undefined;
  child.once('exit', (code, sig) => (exitInfo = `exited code=${code} signal=${sig}`));
  const failure = () => {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    const reason = log
      .split('\n')
      .filter((l) => /^error /.test(l))
      .join('\n');
    return new Error(`Agents Playground ${exitInfo}.\n${reason || out.text()}`);
  };

  const dead = () => (exitInfo ? failure() : undefined);
  try {
    const actualPort = await waitFor(
      '"Listening on <port>"',
      opts.timeoutMs ?? 30_000,
      async () => {
        const m = /Listening on (\d+)/.exec(out.text());
        return m ? Number(m[1]) : undefined;
      },
      dead,
    );
    const url = `http://localhost:${actualPort}`;
    await waitFor(
      'config loaded (/_internal/v1/testConfig)',
      15_000,
      async () => {
        const r = await fetch(`${url}/_internal/v1/testConfig`).catch(() => undefined);
        return r?.ok ? true : undefined;
      },
      dead,
    );
    await new Promise((r) => setTimeout(r, 300));
    if (exitInfo) throw failure();

    const handle: PlaygroundHandle = {
      url,
      connectorUrl: `${url}/_connector`,
      port: actualPort,
      child,
      logFile,
      output: () => out.text(),
      async config() {
        const r = await fetch(`${url}/_internal/v1/testConfig`);
        return (await r.json()) as PlaygroundRuntimeConfig;
      },
      async sendCustomActivity(activity) {
        const r = await fetch(`${url}/_internal/v1/customActivities`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(activity),
        });
        if (!r.ok) throw new Error(`customActivities: HTTP ${r.status} ${await r.text()}`);
      },
      async customActivityTemplate(conversationId) {
        const r = await fetch(
          `${url}/_internal/v1/customActivities/template?conversationId=${encodeURIComponent(conversationId)}`,
        );
        if (!r.ok) throw new Error(`template: HTTP ${r.status} ${await r.text()}`);
        return (await r.json()) as Record<string, unknown>;
      },
      stop: () => stopChild(child),
    };
    return handle;
  } catch (e) {
    await stopChild(child);
    throw e;
  }
}
