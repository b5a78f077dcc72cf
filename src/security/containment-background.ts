import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotFoundError } from '../errors';
import type { ContainmentRequest, RequestView } from './containment';
import { isOutcomeLost } from './containment-recheck';
import type { RunnerLogger } from './containment-runner';
import type { SecurityStore } from './ports';

/**
 * How long a press waits for its steps before it is answered with them in progress: well within
 * Teams' invoke timeout, and long enough that most presses see their result at once.
 */
export const ANSWER_WITHIN_MS = 2000;

/**
 * How long stop() lets runs finish, then how long it waits once they make no new calls: both
 * well within the 10 s main.ts gives the whole shutdown.
 */
const STOP_WITHIN_MS = 4000;
const STOP_GRACE_MS = 1500;

/** A run in another instance is only seen through the store: polled, a while at most. */
const POLL_MS = 100;
const FOLLOW_POLL_MS = 1000;
const FOLLOW_FOR_MS = 10 * 60_000;

/** Told the request as its steps left it, when they outlived the answer to the press. */
export type WhenSettled = (view: RequestView) => Promise<void>;

export interface BackgroundOptions {
  clock: () => Date;
  logger: RunnerLogger;
  answerWithinMs?: number;
  stopWithinMs?: number;
}

/** True while an approved request has steps not begun, or begun and not yet lost. */
export function isRunning({ request, executions }: RequestView, now: Date): boolean {
  if (request.state !== 'approved') return false;
  const expected = request.accounts.length * request.actions.length;
  const live = executions.some((e) => e.state === 'executing' && !isOutcomeLost(e, now));
  return executions.length < expected || live;
}

/**
 * Containment runs outlive the press that starts them, so that a press is answered within
 * Teams' invoke timeout however many Graph calls it started. Every run and follow-up is tracked
 * here: its failure is logged, never an unhandled rejection, and stop() waits for them.
 */
export class ContainmentBackground {
  /** Runs of this instance by request id, for presses that wait on them. */
  private readonly runs = new Map<string, Promise<void>>();
  private readonly tasks = new Set<Promise<void>>();
  /** Aborted when shutdown can wait no longer: runs make no further Graph call. */
  private readonly halt = new AbortController();
  /** Aborted when shutdown begins: nobody polls for another instance's run any more. */
  private readonly quit = new AbortController();

  constructor(
    private readonly store: Pick<SecurityStore, 'getRequest' | 'listExecutions'>,
    private readonly options: BackgroundOptions,
  ) {}

  /** Starts `work` for the request without waiting for it. */
  launch(request: ContainmentRequest, work: (signal: AbortSignal) => Promise<void>): void {
    const fields = { incidentId: request.incidentId, requestId: request.id };
    const run = this.track(
      Promise.resolve().then(() => work(this.halt.signal)),
      fields,
      'containment run failed',
    );
    this.runs.set(request.id, run);
    void run.then(() => this.runs.delete(request.id));
  }

  /**
   * The request as it stands once its steps ended or the answer can wait no longer. When they
   * still run, `whenSettled` is told how they ended, later.
   */
  async answer(requestId: string, whenSettled?: WhenSettled): Promise<RequestView> {
    const deadline = Date.now() + (this.options.answerWithinMs ?? ANSWER_WITHIN_MS);
    const view = await this.settle(requestId, deadline, POLL_MS);
    if (whenSettled && isRunning(view, this.options.clock())) {
      const fields = { incidentId: view.request.incidentId, requestId };
      this.track(this.follow(requestId, whenSettled), fields, 'containment follow-up failed');
    }
    return view;
  }

  /** Waits, bounded, for runs and their follow-ups, so none writes to a closed store. */
  async stop(): Promise<void> {
    this.quit.abort();
    if (await this.drain(this.options.stopWithinMs ?? STOP_WITHIN_MS)) return;

    // Steps not begun yet are recorded as not done rather than started on a closing store.
    this.halt.abort();
    if (await this.drain(STOP_GRACE_MS)) return;
    this.options.logger.warn({ running: this.tasks.size }, 'containment runs outlived shutdown');
  }

  private async follow(requestId: string, whenSettled: WhenSettled): Promise<void> {
    const run = this.runs.get(requestId);
    if (run) {
      // Its own run ended: what it left is final, even a step it could not claim.
      await run;
      return whenSettled(await this.read(requestId));
    }
    const view = await this.settle(requestId, Date.now() + FOLLOW_FOR_MS, FOLLOW_POLL_MS);
    if (!isRunning(view, this.options.clock())) await whenSettled(view);
  }

  private async settle(requestId: string, deadline: number, pollMs: number): Promise<RequestView> {
    for (;;) {
      const view = await this.read(requestId);
      const left = deadline - Date.now();
      if (!isRunning(view, this.options.clock()) || left <= 0 || this.quit.signal.aborted) {
        return view;
      }
      const run = this.runs.get(requestId);
      await pause(run ? left : Math.min(pollMs, left), run, this.quit.signal);
    }
  }

  private async read(requestId: string): Promise<RequestView> {
    const request = await this.store.getRequest(requestId);
    if (!request) throw new NotFoundError('That request does not exist.');
    return { request, executions: await this.store.listExecutions(requestId) };
  }

  private track(work: Promise<void>, fields: object, message: string): Promise<void> {
    const task = work.catch((error: unknown) => {
      const errorId = randomUUID().slice(0, 8);
      this.options.logger.error({ ...fields, errorId, err: error }, message);
    });
    this.tasks.add(task);
    void task.then(() => this.tasks.delete(task));
    return task;
  }

  /** True when every task ended within `ms`. */
  private async drain(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.tasks.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await pause(left, Promise.all(this.tasks));
    }
    return true;
  }
}

/** Waits `ms`, or less when `until` settles or `signal` aborts; never rejects. */
async function pause(ms: number, until?: Promise<unknown>, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return;
  const timer = new AbortController();
  const stop = () => timer.abort();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const elapsed = sleep(ms, undefined, { signal: timer.signal }).catch(() => undefined);
    await Promise.race(until ? [elapsed, until.catch(() => undefined)] : [elapsed]);
  } finally {
    timer.abort();
    signal?.removeEventListener('abort', stop);
  }
}
