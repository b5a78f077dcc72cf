/**
 * `npm run bench`: a card button press (an incident status change, stored) on the incident bot,
 * measured against a bare botbuilder bot answering the same invoke, in the same run. Each server
 * runs in its own process; this process only generates load (autocannon) and samples RSS.
 *
 * Targets: at least 0.8 of the bare bot's throughput, and p99 under 100 ms, at 50 connections.
 * A measurement, not a test: exit code 0 whether or not the targets are met; non-zero only when
 * the run itself broke (a server did not start, every request failed).
 *
 * Settings (env): BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (50),
 * BENCH_INCIDENTS (as many as connections), BENCH_CPU_PROF=1 (profile the bots, print the top
 * functions; slows them down), BENCH_KEEP=1 (keep the temp dir with logs and database).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BenchChild,
  CpuMeter,
  RssSampler,
  rssOf,
  type CpuShare,
  type ReadyMessage,
} from './children';
import { summarizeProfile } from './cpu-profile-summary';
import { runLoad, type LoadResult } from './load';
import { BENCH_TENANT, PressBodies, type SeededIncident } from './teams-activities';

const TARGET_RATIO = 0.8;
const TARGET_P99_MS = 100;
const SETTLE_MS = 500;

interface Settings {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  incidents: number;
  profile: boolean;
  keep: boolean;
}

interface ServerRun {
  name: string;
  load: LoadResult;
  warmup: LoadResult;
  rssIdle: number;
  rssPeak: number;
  cpu: CpuShare;
  logLines: number;
  /** Our bot only: status changes stored (timeline entries), and summary-card updates sent. */
  stored?: number;
  cardUpdates?: number;
}

function settingsFromEnv(): Settings {
  const number = (name: string, fallback: number) => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
    return value;
  };
  const connections = Math.round(number('BENCH_CONNECTIONS', 50));
  return {
    seconds: number('BENCH_SECONDS', 10),
    warmupSeconds: number('BENCH_WARMUP_SECONDS', 3),
    connections,
    incidents: Math.round(number('BENCH_INCIDENTS', connections)),
    profile: Boolean(process.env.BENCH_CPU_PROF),
    keep: Boolean(process.env.BENCH_KEEP),
  };
}

const children: BenchChild[] = [];

async function stopAll(): Promise<void> {
  await Promise.all(children.map((child) => child.stop()));
}

function note(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

async function measure(
  name: string,
  server: BenchChild,
  url: string,
  bodies: PressBodies,
  settings: Settings,
  profileFile?: string,
) {
  const sampler = new RssSampler(server.pid);
  const rssIdle = rssOf(server.pid) ?? 0;
  sampler.start();
  try {
    note(`${name}: warming up ${settings.warmupSeconds} s`);
    const warmup = await runLoad({
      url,
      connections: settings.connections,
      seconds: settings.warmupSeconds,
      nextBody: () => bodies.next(),
    });
    if (warmup.cardAnswers === 0) {
      throw new Error(`${name}: no card answer during warm-up${describeFailures(warmup)}`);
    }
    note(`${name}: measuring ${settings.seconds} s with ${settings.connections} connections`);
    if (profileFile) await server.startProfile();
    const benchPids = [process.pid, ...children.filter((c) => c.alive).map((c) => c.pid)];
    const meter = new CpuMeter(server.pid, benchPids);
    const load = await runLoad({
      url,
      connections: settings.connections,
      seconds: settings.seconds,
      nextBody: () => bodies.next(),
    });
    const cpu = meter.stop();
    if (profileFile) await server.stopProfile(profileFile);
    return { warmup, load, cpu, rssIdle, rssPeak: sampler.stop().peak };
  } finally {
    sampler.stop();
  }
}

function describeFailures(result: LoadResult): string {
  const parts = [
    `status codes ${JSON.stringify(result.statusCodes)}`,
    `errors ${result.errors}`,
    `timeouts ${result.timeouts}`,
  ];
  if (result.sampleOther) parts.push(`answer: ${result.sampleOther}`);
  return ` (${parts.join(', ')})`;
}

async function runBare(
  settings: Settings,
  logDir: string,
  connectorUrl: string,
  profileFile?: string,
): Promise<ServerRun> {
  const { child, ready } = await BenchChild.start('bare-bot', 'bare-bot.ts', { logDir });
  children.push(child);
  // The bare bot ignores the incident; it gets bodies of the same shape and size.
  const fakeIncidents: SeededIncident[] = Array.from({ length: settings.incidents }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    tenantId: BENCH_TENANT,
    conversationId: `19:bench${i}@thread.skype;messageid=${1_700_000_000_000 + i}`,
    channelId: `19:bench${i}@thread.skype`,
    summaryActivityId: String(1_700_000_000_000 + i),
  }));
  const bodies = new PressBodies(fakeIncidents, connectorUrl, 'bare');
  const result = await measure('bare bot', child, ready.url, bodies, settings, profileFile);
  await child.stop();
  return { name: 'bare botbuilder', ...result, logLines: child.logLineCount() };
}

async function runOurs(
  settings: Settings,
  logDir: string,
  connector: BenchChild,
  connectorUrl: string,
  profileFile?: string,
): Promise<ServerRun> {
  note(`incident bot: starting, declaring ${settings.incidents} incidents`);
  const { child, ready } = await BenchChild.start('incident-bot', 'our-bot.ts', {
    logDir,
    env: {
      BENCH_DB_PATH: join(logDir, 'incident-bot.db'),
      BENCH_CONNECTOR_URL: connectorUrl,
      BENCH_INCIDENTS: String(settings.incidents),
    },
  });
  children.push(child);
  const incidents = (ready as ReadyMessage & { incidents: SeededIncident[] }).incidents;
  const bodies = new PressBodies(incidents, connectorUrl, 'ours');

  const timelineBefore = await child.ask<{ type: string; total: number }>(
    { type: 'timeline' },
    'timeline',
  );
  const updatesBefore = await connectorUpdates(connector);
  const result = await measure('incident bot', child, ready.url, bodies, settings, profileFile);
  // Summary-card updates run after the answer: give the last ones time to land.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const timelineAfter = await child.ask<{ type: string; total: number }>(
    { type: 'timeline' },
    'timeline',
  );
  const updatesAfter = await connectorUpdates(connector);
  await child.stop();

  return {
    name: 'incident bot',
    ...result,
    logLines: child.logLineCount(),
    stored: timelineAfter.total - timelineBefore.total,
    cardUpdates: updatesAfter - updatesBefore,
  };
}

async function connectorUpdates(connector: BenchChild): Promise<number> {
  const stats = await connector.ask<{ type: string; counts: Record<string, number> }>(
    { type: 'stats' },
    'stats',
  );
  return stats.counts['PUT activity'] ?? 0;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function printReport(settings: Settings, bare: ServerRun, ours: ServerRun) {
  // The server's CPU time per answered request, in ms: robust to other load on the machine.
  const cpuPerRequest = (run: ServerRun) =>
    (run.cpu.server * settings.seconds * 1000) / Math.max(1, run.load.requests);
  const header = ['', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'not card'];
  const cpuHeader = ['CPU cores', 'CPU ms/req', 'RSS idle', 'RSS peak'];
  const row = (run: ServerRun) => [
    run.name,
    run.load.reqPerSec.toFixed(0),
    String(run.load.p50),
    String(run.load.p99),
    String(run.load.requests),
    String(run.load.non2xx),
    String(run.load.errors),
    String(run.load.otherAnswers),
    run.cpu.server.toFixed(2),
    cpuPerRequest(run).toFixed(2),
    mb(run.rssIdle),
    mb(run.rssPeak),
  ];
  const rows = [[...header, ...cpuHeader], row(bare), row(ours)];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  const line = (cells: string[]) =>
    cells.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col])));

  const ratio = ours.load.reqPerSec / bare.load.reqPerSec;
  const answered = ours.warmup.cardAnswers + ours.load.cardAnswers;
  const clean =
    ours.load.non2xx === 0 &&
    ours.load.errors === 0 &&
    ours.load.otherAnswers === 0 &&
    bare.load.non2xx === 0 &&
    bare.load.errors === 0 &&
    (ours.stored ?? 0) >= answered;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const profiling = settings.profile ? ', CPU PROFILING ON (numbers not comparable)' : '';

  console.log('');
  console.log(
    `Card button press (Action.Execute incident.status), ${settings.connections} connections, ` +
      `${settings.seconds} s measured after ${settings.warmupSeconds} s warm-up, ` +
      `Node ${process.version}, ${cpus().length} cores${profiling}`,
  );
  console.log('');
  for (const cells of rows) console.log(line(cells).join('  '));
  console.log('');
  const targets = [
    ['throughput ours/bare', ratio.toFixed(2), `>= ${TARGET_RATIO}`, ratio >= TARGET_RATIO],
    ['p99 ours', `${ours.load.p99} ms`, `< ${TARGET_P99_MS} ms`, ours.load.p99 < TARGET_P99_MS],
    ['every press answered and stored', clean ? 'yes' : 'no', '200 + card, stored', clean],
  ] as const;
  for (const [what, value, target, ok] of targets) {
    console.log(
      `${what.padEnd(32)} ${value.padStart(7)}   target ${target.padEnd(20)} ${verdict(ok)}`,
    );
  }
  console.log('');
  console.log(
    `incident bot: ${answered} presses answered with a card (warm-up + measured), ${ours.stored} ` +
      `status changes stored (presses still in flight when a phase ended are stored too), ` +
      `${ours.cardUpdates} summary-card updates reached the connector, ` +
      `${ours.logLines} log lines at warn or above.`,
  );
  console.log(
    `CPU per press, bare/ours: ${(cpuPerRequest(bare) / cpuPerRequest(ours)).toFixed(2)} (what the ` +
      `throughput ratio would be if both were CPU-bound; less sensitive to other load). ` +
      `Load generator: ${bare.cpu.generator.toFixed(2)} cores during bare, ` +
      `${ours.cpu.generator.toFixed(2)} during ours.`,
  );
  const others = Math.max(bare.cpu.others, ours.cpu.others);
  if (others > 0.1) {
    console.log(
      `WARNING: processes outside the bench used up to ${others.toFixed(2)} cores while measuring ` +
        `(bare ${bare.cpu.others.toFixed(2)}, ours ${ours.cpu.others.toFixed(2)}); ` +
        `the numbers are disturbed, run again on a quiet machine.`,
    );
  }
  if (!clean) {
    for (const run of [bare, ours]) {
      if (run.load.non2xx || run.load.errors || run.load.otherAnswers) {
        console.log(`${run.name}: failures${describeFailures(run.load)}`);
      }
    }
  }
}

async function main(): Promise<number> {
  const settings = settingsFromEnv();
  const workDir = mkdtempSync(join(tmpdir(), 'incident-bench-'));
  const profile = (which: string) =>
    settings.profile ? join(workDir, `${which}.cpuprofile`) : undefined;
  let broken = true;
  try {
    const started = await BenchChild.start('connector', 'connector.ts', { logDir: workDir });
    children.push(started.child);
    const connectorUrl = started.ready.url;

    const bare = await runBare(settings, workDir, connectorUrl, profile('bare-bot'));
    const ours = await runOurs(settings, workDir, started.child, connectorUrl, profile('ours'));
    printReport(settings, bare, ours);

    for (const which of ['bare-bot', 'ours']) {
      const file = profile(which);
      if (!file) continue;
      console.log(`\nCPU profile of the measured ${settings.seconds} s, ${which}: ${file}`);
      console.log(summarizeProfile(file));
    }
    broken = bare.load.requests === 0 || ours.load.requests === 0 || ours.load.cardAnswers === 0;
    if (broken) console.error('\nThe run broke: a server answered no request.');
    return broken ? 1 : 0;
  } finally {
    await stopAll();
    if (settings.keep || broken || settings.profile) {
      note(`logs, database and profiles kept in ${workDir}`);
    } else {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(`\nThe bench run broke: ${error instanceof Error ? error.message : error}`);
    await stopAll();
    process.exit(1);
  },
);
