import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** What a child entry sends once it is listening. */
export interface ReadyMessage {
  type: 'ready';
  url: string;
  [key: string]: unknown;
}

export type ChildMessage = ReadyMessage | { type: 'failed'; error: string } | { type: string };

const REPO_ROOT = join(__dirname, '..');
const STOP_GRACE_MS = 5000;

/**
 * A bench server in its own Node process (TypeScript through tsx), so that the bots and the load
 * generator do not share an event loop. Its stdout and stderr go to a log file, not to a pipe the
 * parent would have to drain while measuring.
 */
export class BenchChild {
  private readonly child: ChildProcess;
  private exited = false;
  private exitCode: number | null = null;
  private readonly listeners = new Set<(message: ChildMessage) => void>();

  private constructor(
    readonly name: string,
    readonly logFile: string,
    entry: string,
    env: Record<string, string>,
  ) {
    const out = openSync(logFile, 'a');
    this.child = fork(join(__dirname, entry), [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', out, out, 'ipc'],
    });
    closeSync(out);
    this.child.on('message', (message: ChildMessage) => {
      for (const listener of this.listeners) listener(message);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.exitCode = code ?? (signal ? 128 : null);
    });
  }

  /** Starts `entry` (a file in bench/) and waits for its `ready` message. */
  static async start(
    name: string,
    entry: string,
    options: { logDir: string; env?: Record<string, string>; timeoutMs?: number },
  ): Promise<{ child: BenchChild; ready: ReadyMessage }> {
    const logFile = join(options.logDir, `${name.replace(/\W+/g, '-')}.log`);
    const child = new BenchChild(name, logFile, entry, options.env ?? {});
    try {
      const ready = await child.waitFor<ReadyMessage>('ready', options.timeoutMs ?? 60_000);
      return { child, ready };
    } catch (error) {
      await child.stop();
      throw error;
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Sends `request` and waits for the child's message of type `replyType`. */
  async ask<T extends ChildMessage>(request: object, replyType: string, timeoutMs = 10_000) {
    const reply = this.waitFor<T>(replyType, timeoutMs);
    this.child.send(request);
    return reply;
  }

  waitFor<T extends ChildMessage>(type: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done = (error?: Error, message?: T) => {
        clearTimeout(timer);
        clearInterval(watch);
        this.listeners.delete(listener);
        if (error) reject(error);
        else resolve(message as T);
      };
      const listener = (message: ChildMessage) => {
        if (message.type === type) done(undefined, message as T);
        else if (message.type === 'failed') {
          done(new Error(`${this.name}: ${(message as { error: string }).error}`));
        }
      };
      const timer = setTimeout(
        () => done(new Error(`${this.name}: no "${type}" within ${timeoutMs} ms${this.logTail()}`)),
        timeoutMs,
      );
      const watch = setInterval(() => {
        if (this.exited) {
          done(new Error(`${this.name} exited (code ${this.exitCode})${this.logTail()}`));
        }
      }, 50);
      this.listeners.add(listener);
    });
  }

  /** Starts the child's CPU profiler (see `onParentStop`). */
  async startProfile(): Promise<void> {
    await this.ask({ type: 'profile-start' }, 'profile-started');
  }

  /** Stops the child's CPU profiler and writes the profile to `file`. */
  async stopProfile(file: string): Promise<void> {
    await this.ask({ type: 'profile-stop', file }, 'profile-stopped', 30_000);
  }

  /** Asks the child to stop cleanly, then kills it if it does not. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      if (this.child.connected) this.child.send({ type: 'stop' });
      else this.child.kill('SIGTERM');
    } catch {
      this.child.kill('SIGTERM');
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Last lines of the child's log, to explain a failure. */
  logTail(lines = 15): string {
    try {
      const text = readFileSync(this.logFile, 'utf8').trimEnd();
      if (!text) return '';
      return `\n--- last lines of ${this.logFile} ---\n${text.split('\n').slice(-lines).join('\n')}`;
    } catch {
      return '';
    }
  }

  /** Lines the child wrote to its log (warnings and errors at LOG_LEVEL warn). */
  logLineCount(): number {
    try {
      const text = readFileSync(this.logFile, 'utf8').trimEnd();
      return text ? text.split('\n').length : 0;
    } catch {
      return 0;
    }
  }
}

/** Resident set size of a process in bytes, from /proc (Linux), or undefined when gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `intervalMs` and keeps the peak (and the last value). */
export class RssSampler {
  peak = 0;
  last = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 250,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  stop(): this {
    clearInterval(this.timer);
    this.sample();
    return this;
  }

  private sample() {
    const rss = rssOf(this.pid);
    if (rss === undefined) return;
    this.last = rss;
    this.peak = Math.max(this.peak, rss);
  }
}

/** Child side: tells the parent about a startup failure and exits. */
export function failChild(error: unknown): never {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(text);
  const message = error instanceof Error ? error.message : text;
  process.send?.({ type: 'failed', error: message.split('\n').slice(0, 8).join('\n') });
  process.exit(1);
}

/**
 * Child side: stops on the parent's `stop` message, and exits when the parent goes away (its IPC
 * channel closes), so no bench server outlives the run. Also runs the V8 CPU profiler between
 * the parent's `profile-start` and `profile-stop`, so a profile covers the measured load only.
 */
export function onParentStop(stop: () => Promise<void>): void {
  let profiler: Session | undefined;
  process.on('message', (message: { type?: string; file?: string }) => {
    if (message?.type === 'profile-start') {
      profiler = new Session();
      profiler.connect();
      void profiler
        .post('Profiler.enable')
        .then(() => profiler?.post('Profiler.start'))
        .then(() => process.send?.({ type: 'profile-started' }));
    } else if (message?.type === 'profile-stop' && profiler && message.file) {
      const file = message.file;
      void profiler.post('Profiler.stop').then(({ profile }) => {
        writeFileSync(file, JSON.stringify(profile));
        profiler?.disconnect();
        process.send?.({ type: 'profile-stopped' });
      });
    }
  });

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(1), 3000);
    timer.unref();
    try {
      await stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'stop') void shutdown();
  });
  process.on('disconnect', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

/** CPU time (user + system) a process has used so far, in clock ticks, from /proc (Linux). */
function cpuTicksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Busy and total clock ticks of the whole machine, summed over its CPUs. */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

export interface CpuShare {
  /** The server's CPU use, in cores (1.0 = one core fully busy). */
  server: number;
  /** This process's (the load generator's) CPU use, in cores. */
  generator: number;
  /** Everything else on the machine that is not the bench (other people's work), in cores. */
  others: number;
}

/**
 * Measures, over a phase, how many cores the server process used and how much CPU went to
 * processes outside the bench: on a shared 2-core machine, the latter makes numbers incomparable.
 */
export class CpuMeter {
  private readonly start: ReturnType<CpuMeter['read']>;

  constructor(
    private readonly serverPid: number,
    private readonly benchPids: number[],
  ) {
    this.start = this.read();
  }

  private read() {
    return {
      machine: machineTicks(),
      bench: this.benchPids.reduce((sum, pid) => sum + cpuTicksOf(pid), 0),
      server: cpuTicksOf(this.serverPid),
      generator: cpuTicksOf(process.pid),
    };
  }

  stop(cores = cpus().length): CpuShare {
    const end = this.read();
    const total = end.machine.total - this.start.machine.total;
    if (total <= 0) return { server: 0, generator: 0, others: 0 };
    const busy = end.machine.busy - this.start.machine.busy;
    const bench = end.bench - this.start.bench;
    const perCore = total / cores;
    return {
      server: (end.server - this.start.server) / perCore,
      generator: (end.generator - this.start.generator) / perCore,
      others: Math.max(0, busy - bench) / perCore,
    };
  }
}
