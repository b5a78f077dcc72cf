/**
 * `npm run bench`: a card button press (an incident status change, stored) on the incident bot,
 * measured against a bare botbuilder bot answering the same invoke, in the same run. Each server
 * runs in its own process; this process only generates load (autocannon) and samples RSS.
 *
 * Targets: at least 0.8 of the bare bot's throughput, and p99 under 100 ms, at 50 connections.
 * A measurement, not a test: exit code 0 whether or not the targets are met; non-zero only when
 * the run itself broke (a server did not start, every request failed).
 *
 * Both servers run side by side and are measured in alternating rounds, so drift in the machine's
 * speed (seen on this shared VM: the bare bot alone varied from 0.8 to 1.9 ms of CPU per request
 * within minutes) weighs on both alike. Throughput adds up the rounds; p50 and p99 are the median
 * round's.
 *
 * Settings (env): BENCH_SECONDS (5, per round and server), BENCH_ROUNDS (3),
 * BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (50), BENCH_INCIDENTS (as many as connections),
 * BENCH_CPU_PROF=1 (profile the last round, print the top functions; slows the bots down),
 * BENCH_KEEP=1 (keep the temp dir with logs and database).
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
  /** Measured seconds per round and server. */
  seconds: number;
  rounds: number;
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
    seconds: number('BENCH_SECONDS', 5),
    rounds: Math.round(number('BENCH_ROUNDS', 3)),
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

interface Contender {
  name: string;
  child: BenchChild;
  url: string;
  bodies: PressBodies;
  rssIdle: number;
  sampler: RssSampler;
  warmup?: LoadResult;
  rounds: Array<{ load: LoadResult; cpu: CpuShare }>;
}

function contender(name: string, child: BenchChild, url: string, bodies: PressBodies) {
  const rssIdle = rssOf(child.pid) ?? 0;
  const sampler = new RssSampler(child.pid).start();
  return { name, child, url, bodies, rssIdle, sampler, rounds: [] } as Contender;
}

async function warmUp(server: Contender, settings: Settings) {
  note(`${server.name}: warming up ${settings.warmupSeconds} s`);
  server.warmup = await runLoad({
    url: server.url,
    connections: settings.connections,
    seconds: settings.warmupSeconds,
    nextBody: () => server.bodies.next(),
  });
  if (server.warmup.cardAnswers === 0) {
    throw new Error(
      `${server.name}: no card answer during warm-up${describeFailures(server.warmup)}`,
    );
  }
}

async function measureRound(server: Contender, settings: Settings, profileFile?: string) {
  if (profileFile) await server.child.startProfile();
  const benchPids = [process.pid, ...children.filter((c) => c.alive).map((c) => c.pid)];
  const meter = new CpuMeter(server.child.pid, benchPids);
  const load = await runLoad({
    url: server.url,
    connections: settings.connections,
    seconds: settings.seconds,
    nextBody: () => server.bodies.next(),
  });
  server.rounds.push({ load, cpu: meter.stop() });
  if (profileFile) await server.child.stopProfile(profileFile);
}

/** The rounds of one server as one run: counts add up, latencies are the median round's. */
function combined(server: Contender, settings: Settings): ServerRun {
  const loads = server.rounds.map((round) => round.load);
  const sum = (pick: (load: LoadResult) => number) => loads.reduce((t, l) => t + pick(l), 0);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[(values.length - 1) >> 1];
  const statusCodes: Record<string, number> = {};
  for (const load of loads) {
    for (const [code, count] of Object.entries(load.statusCodes)) {
      statusCodes[code] = (statusCodes[code] ?? 0) + count;
    }
  }
  const load: LoadResult = {
    reqPerSec: sum((l) => l.requests) / (settings.seconds * loads.length),
    p50: median(loads.map((l) => l.p50)),
    p99: median(loads.map((l) => l.p99)),
    requests: sum((l) => l.requests),
    non2xx: sum((l) => l.non2xx),
    errors: sum((l) => l.errors),
    timeouts: sum((l) => l.timeouts),
    cardAnswers: sum((l) => l.cardAnswers),
    otherAnswers: sum((l) => l.otherAnswers),
    sampleOther: loads.find((l) => l.sampleOther)?.sampleOther,
    statusCodes,
  };
  const mean = (pick: (cpu: CpuShare) => number) =>
    server.rounds.reduce((t, r) => t + pick(r.cpu), 0) / server.rounds.length;
  return {
    name: server.name,
    load,
    warmup: server.warmup as LoadResult,
    rssIdle: server.rssIdle,
    rssPeak: server.sampler.stop().peak,
    cpu: {
      server: mean((c) => c.server),
      generator: mean((c) => c.generator),
      others: mean((c) => c.others),
    },
    logLines: server.child.logLineCount(),
  };
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

async function startBare(settings: Settings, logDir: string, connectorUrl: string) {
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
  return contender('bare botbuilder', child, ready.url, bodies);
}

async function startOurs(settings: Settings, logDir: string, connectorUrl: string) {
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
  return contender('incident bot', child, ready.url, bodies);
}

async function timelineTotal(ours: Contender): Promise<number> {
  const answer = await ours.child.ask<{ type: string; total: number }>(
    { type: 'timeline' },
    'timeline',
  );
  return answer.total;
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
    (run.cpu.server * settings.seconds * settings.rounds * 1000) / Math.max(1, run.load.requests);
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
  const answered = ours.load.cardAnswers;
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
      `${settings.rounds} alternating rounds of ${settings.seconds} s each after ` +
      `${settings.warmupSeconds} s warm-up; latencies of the median round, ` +
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
    `incident bot: ${answered} presses answered with a card (measured rounds), ${ours.stored} ` +
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

    const bareServer = await startBare(settings, workDir, connectorUrl);
    const oursServer = await startOurs(settings, workDir, connectorUrl);
    await warmUp(bareServer, settings);
    await warmUp(oursServer, settings);

    const timelineBefore = await timelineTotal(oursServer);
    const updatesBefore = await connectorUpdates(started.child);
    // Rounds alternate, so a machine that speeds up or slows down during the run (a shared
    // virtual machine does) weighs on both bots alike.
    for (let round = 1; round <= settings.rounds; round++) {
      note(
        `round ${round}/${settings.rounds}: ${settings.seconds} s each, ${settings.connections} connections`,
      );
      const last = round === settings.rounds;
      await measureRound(bareServer, settings, last ? profile('bare-bot') : undefined);
      await measureRound(oursServer, settings, last ? profile('ours') : undefined);
    }
    // Summary-card updates run after the answer: give the last ones time to land.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const bare = combined(bareServer, settings);
    const ours: ServerRun = {
      ...combined(oursServer, settings),
      stored: (await timelineTotal(oursServer)) - timelineBefore,
      cardUpdates: (await connectorUpdates(started.child)) - updatesBefore,
    };
    printReport(settings, bare, ours);

    for (const which of ['bare-bot', 'ours']) {
      const file = profile(which);
      if (!file) continue;
      console.log(`\nCPU profile of the last round (${settings.seconds} s), ${which}: ${file}`);
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
