import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURE_TENANTS } from './bot-harness';

export interface BotChild {
  url: string;
  child: ChildProcess;
  /** Posts an activity to the child's /api/messages, pointed at `serviceUrl`. */
  send(activity: Record<string, any>, serviceUrl: string): Promise<number>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts test/support/bot-process.ts with tsx; resolves once it listens. */
export async function startBotChild(env: Record<string, string>): Promise<BotChild> {
  const child = fork(join(__dirname, 'bot-process.ts'), [], {
    cwd: join(__dirname, '..', '..'),
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: '0',
      BOT_AUTH: 'disabled',
      GRAPH_AUTH: 'none',
      ALLOWED_TENANT_IDS: FIXTURE_TENANTS.join(','),
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { type: string; url?: string; error?: string }) =>
      message.type === 'ready' ? resolve(message.url!) : reject(new Error(message.error)),
    );
    child.once('exit', (code) => reject(new Error(`bot process exited with ${code}`)));
  });

  return {
    url,
    child,
    async send(activity, serviceUrl) {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...activity, serviceUrl }),
      });
      await response.text();
      return response.status;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
