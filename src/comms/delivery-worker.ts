import { randomUUID } from 'node:crypto';
import type { Incident } from '../incidents/incident';
import type { IncidentStore } from '../incidents/ports';
import type { Logger } from '../logger';
import { reasonOf, type DeliveryJob, type SendOutcome } from './delivery';
import type {
  AppInstaller,
  CommsStore,
  DeliveryTransport,
  MailSender,
  UpdateRenderer,
} from './ports';
import { afterRetryAfter, afterThrottle, backoffMs, type SendLimits } from './send-limits';
import type { StakeholderUpdate } from './update';

export interface DeliveryWorkerOptions {
  store: CommsStore;
  incidents: IncidentStore;
  transport: DeliveryTransport;
  renderer: UpdateRenderer;
  limits: SendLimits;
  logger: Logger;
  mail?: MailSender;
  installer?: AppInstaller;
  pollMs: number;
  leaseMs: number;
  batchSize: number;
  maxAttempts: number;
  /** 429s a delivery waits out; the next one gives it up. */
  maxThrottles: number;
  retryBaseMs: number;
  retryMaxMs: number;
  clock?: () => Date;
}

/** A job waiting for another to start the stakeholder thread comes back this soon. */
const THREAD_WAIT_MS = 500;

/**
 * Sends the outbox. Each round claims due jobs with a lease, sends them within Teams' limits and
 * records each outcome. A job whose lease ran out (the process died mid-send) is claimed again:
 * that send may reach its recipient twice, the only case where one can.
 */
export class DeliveryWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private running?: Promise<void>;
  private stopping = false;
  private wakeUp?: () => void;
  private readonly clock: () => Date;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Something was queued: look now rather than at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Lets the sends in hand finish, then returns; unclaimed jobs stay for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
  }

  /** One round: claims and delivers up to a batch; returns how many jobs it took. */
  async runOnce(): Promise<number> {
    const now = this.clock();
    const jobs = await this.options.store.claimDue(
      now.toISOString(),
      new Date(now.getTime() + this.options.leaseMs).toISOString(),
      this.id,
      this.options.batchSize,
    );
    const updates = new Map<string, Promise<{ update: StakeholderUpdate; incident: Incident }>>();
    await Promise.all(jobs.map((job) => this.deliver(job, updates)));
    return jobs.length;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let taken = 0;
      try {
        taken = await this.runOnce();
      } catch (error) {
        this.options.logger.error({ err: error, workerId: this.id }, 'delivery round failed');
      }
      if (taken === 0 && !this.stopping) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async deliver(
    job: DeliveryJob,
    updates: Map<string, Promise<{ update: StakeholderUpdate; incident: Incident }>>,
  ): Promise<void> {
    const started = Date.now();
    const fields = {
      deliveryId: job.id,
      incidentId: job.incidentId,
      tenantId: job.tenantId,
      audience: job.audience,
      attempt: job.attempts,
    };
    let outcome: SendOutcome;
    try {
      if (!updates.has(job.updateId)) updates.set(job.updateId, this.load(job.updateId));
      outcome = await this.attempt(job, await updates.get(job.updateId)!);
    } catch (error) {
      // A bug or a database hiccup: keep the job and try later rather than lose it.
      this.options.logger.error({ ...fields, err: error }, 'delivery attempt failed unexpectedly');
      outcome = { kind: 'retryable', code: 'Unexpected' };
    }
    await this.record(job, outcome);
    this.options.logger.debug(
      { ...fields, outcome: outcome.kind, durationMs: Date.now() - started },
      'delivery attempt done',
    );
  }

  private async load(updateId: string) {
    const update = await this.options.store.getUpdate(updateId);
    const incident = update && (await this.options.incidents.getIncident(update.incidentId));
    if (!update || !incident) throw new Error(`update ${updateId} or its incident is gone`);
    return { update, incident };
  }

  private async attempt(
    job: DeliveryJob,
    { update, incident }: { update: StakeholderUpdate; incident: Incident },
  ): Promise<SendOutcome> {
    const { transport, renderer } = this.options;
    const target = job.target;
    switch (target.kind) {
      case 'conversation': {
        const held = await this.acquire(job, target.conversationId);
        return held ?? transport.post(target, renderer.technical(update, incident));
      }
      case 'channel':
        return this.toChannel(job, target, renderer.stakeholder(update, incident));
      case 'person':
        return this.toPerson(job, target, renderer.stakeholder(update, incident));
      case 'email': {
        // Mail takes no Teams budget. A Graph 429 delays only the mail that got it (by its
        // Retry-After); other mails from the same mailbox learn of the throttling by their own.
        if (!this.options.mail)
          return { kind: 'final', reason: 'e-mail is not configured (MAIL_SENDER)' };
        const mail = renderer.email(update, incident);
        return this.options.mail.send(target.address, mail.subject, mail.html);
      }
    }
  }

  /** One thread per incident in the stakeholder channel: the first update starts it. */
  private async toChannel(
    job: DeliveryJob,
    target: Extract<DeliveryJob['target'], { kind: 'channel' }>,
    card: object,
  ): Promise<SendOutcome> {
    const { store, transport } = this.options;
    const thread = await store.getThread(job.incidentId);
    // The thread is keyed by its channel, so a 429 on a reply holds back the next one too.
    const held = await this.acquire(job, target.channelId);
    if (held) return held;
    if (thread?.conversationId) {
      return transport.post(
        { serviceUrl: target.serviceUrl, conversationId: thread.conversationId },
        card,
      );
    }
    if (!(await store.reserveThread(job.incidentId, job.id, this.clock().toISOString()))) {
      return { kind: 'retry-after', ms: THREAD_WAIT_MS, code: 'ThreadStarting' };
    }

    const started = await transport.startThread(target, card);
    if (started.kind === 'sent' && started.conversationId) {
      await store.setThread(job.incidentId, started.conversationId);
    }
    return started;
  }

  /** A subscriber's 1:1 chat, opened on first use (installing the app for them if allowed). */
  private async toPerson(
    job: DeliveryJob,
    target: Extract<DeliveryJob['target'], { kind: 'person' }>,
    card: object,
  ): Promise<SendOutcome> {
    const { store, transport, installer } = this.options;
    let conversationId = target.conversationId;
    if (!conversationId) {
      const held = await this.acquire(job, `user:${target.userId}`);
      if (held) return held;
      let opened = await transport.openPersonalChat(target);
      if (opened.kind === 'final' && opened.status === 403 && installer) {
        const installed = await installer.installForUser(target.userId);
        if (installed.kind === 'final') {
          return {
            ...installed,
            reason: `unreachable: the app could not be installed (${installed.status ?? 'no answer'})`,
          };
        }
        if (installed.kind !== 'sent') return installed;
        opened = await transport.openPersonalChat(target);
      }
      if (opened.kind === 'final') {
        return {
          ...opened,
          reason: `unreachable: the app is not installed for this person (${opened.status ?? 'no answer'})`,
        };
      }
      if (opened.kind !== 'sent' || !opened.conversationId) return opened;

      conversationId = opened.conversationId;
      await store.setJobTarget(job, { ...target, conversationId });
      await store.setSubscriberChat(target.tenantId, target.userId, conversationId);
    }
    const held = await this.acquire(job, conversationId);
    if (held) return held;
    return transport.post({ serviceUrl: target.serviceUrl, conversationId }, card);
  }

  /** Takes a send from Teams' budgets; a wait too long for the lease comes back as a retry. */
  private async acquire(
    job: DeliveryJob,
    conversationKey: string,
  ): Promise<SendOutcome | undefined> {
    const waitMs = await this.options.limits.acquire(
      job.tenantId,
      conversationKey,
      this.options.leaseMs / 4,
    );
    return waitMs > 0 ? { kind: 'retry-after', ms: waitMs, code: 'HeldBack' } : undefined;
  }

  private async record(job: DeliveryJob, outcome: SendOutcome): Promise<void> {
    const { store, logger, limits, maxAttempts, maxThrottles, retryBaseMs, retryMaxMs } =
      this.options;
    const now = this.clock();
    const at = now.toISOString();
    const fields = {
      deliveryId: job.id,
      incidentId: job.incidentId,
      tenantId: job.tenantId,
      audience: job.audience,
    };
    // A 429 from Teams or Graph; our own limits and a thread being started say wait, not 429.
    const throttled = outcome.kind === 'retry-after' && outcome.status === 429;
    const throttles = job.throttles + (throttled ? 1 : 0);
    let recorded: boolean;

    if (outcome.kind === 'sent') {
      recorded = await store.markSent(job, outcome.activityId, at);
    } else if (
      outcome.kind === 'final' ||
      (outcome.kind !== 'retry-after' && job.attempts >= maxAttempts) ||
      throttles > maxThrottles
    ) {
      const reason =
        outcome.kind === 'final'
          ? reasonOf(outcome)
          : throttled
            ? `gave up after ${throttles} throttled attempts: ${reasonOf(outcome)}`
            : `gave up after ${job.attempts} attempts: ${reasonOf(outcome)}`;
      recorded = await store.markFailed(job, reason, at);
      if (job.audience === 'stakeholder-channel') await store.releaseThread(job.incidentId, job.id);
      logger.warn(
        { ...fields, status: outcome.status, code: outcome.code },
        'delivery failed for good',
      );
    } else {
      const waitMs = throttled
        ? afterThrottle(outcome.ms, throttles, retryBaseMs, retryMaxMs)
        : outcome.kind === 'retry-after'
          ? afterRetryAfter(outcome.ms)
          : backoffMs(job.attempts, retryBaseMs, retryMaxMs);
      if (throttled) await limits.holdOff(conversationKeyOf(job), outcome.ms);
      const next = new Date(now.getTime() + waitMs).toISOString();
      // A Retry-After (a 429, our own send budget, a thread being started) says when to come
      // back; it is no failed attempt, so a big fan-out loses no one. 429s have a budget of their
      // own (maxThrottles), so sustained throttling still ends.
      recorded = await store.reschedule(job, next, reasonOf(outcome), at, {
        countAttempt: outcome.kind !== 'retry-after',
        throttles: throttled ? throttles : undefined,
      });
      logger.info(
        { ...fields, status: outcome.status, code: outcome.code, waitMs },
        'delivery retry scheduled',
      );
    }
    if (!recorded) logger.warn(fields, 'delivery lease was lost; outcome not recorded');
  }
}

function conversationKeyOf(job: DeliveryJob): string {
  const target = job.target;
  if (target.kind === 'conversation') return target.conversationId;
  if (target.kind === 'channel') return target.channelId;
  if (target.kind === 'person') return target.conversationId ?? `user:${target.userId}`;
  return target.address;
}
