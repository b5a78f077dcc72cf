import type { ConversationSender, IncidentStore } from '../incidents/ports';
import type { Incident } from '../incidents/incident';
import type { Logger } from '../logger';
import {
  dueAt,
  reminderRecipient,
  reminderText,
  type Cadence,
  type CadenceReader,
} from './cadence';
import type { FeedbackService } from './feedback-service';

export interface EngagementSchedulerOptions {
  reader: CadenceReader;
  /** Only `claim` is used: the reminder key is unique across instances on both databases. */
  incidents: Pick<IncidentStore, 'claim'>;
  sender: ConversationSender;
  feedback: FeedbackService;
  cadence: Cadence;
  renderReminder: (incident: Incident, due: string) => object;
  pollMs: number;
  clock: () => Date;
  logger: Logger;
}

/** More open incidents than this at once is not a cadence problem; the rest wait a round. */
const MAX_INCIDENTS_PER_ROUND = 500;

/**
 * The timed half of engagement: reminds the communications lead when a stakeholder update is
 * overdue, and writes yesterday's feedback digests. Every instance runs it; claims in
 * `handled_keys` make each reminder and digest happen once. A reminder is claimed before it is
 * posted, so a post that fails is not retried (at most once, never twice: a second ping for
 * the same due time would be noise, and the next due time brings a new one).
 */
export class EngagementScheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly options: EngagementSchedulerOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // One round at a time: a slow database must not pile rounds up.
      this.running ??= this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error }, 'engagement round failed'),
        )
        .finally(() => {
          this.running = undefined;
        });
    }, this.options.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round: reminders, then digests. Returns the number of reminders posted. */
  async runOnce(): Promise<number> {
    const reminded = await this.remindOverdue();
    const digests = await this.options.feedback.writeDigests();
    if (reminded > 0 || digests > 0) {
      this.options.logger.info({ reminded, digests }, 'engagement round done');
    }
    return reminded;
  }

  private async remindOverdue(): Promise<number> {
    const { reader, incidents, cadence, clock, logger } = this.options;
    const now = clock();
    let reminded = 0;
    for (const candidate of await reader.openIncidents(MAX_INCIDENTS_PER_ROUND)) {
      const due = dueAt(candidate, cadence, now);
      const incident = candidate.incident;
      if (!due || !incident.place) continue;
      if (!(await incidents.claim(`reminder:${incident.id}:${due}`))) continue;

      try {
        await this.remind(incident, due, now);
        reminded += 1;
      } catch (error) {
        logger.warn({ err: error, incidentId: incident.id, dueAt: due }, 'cadence reminder failed');
      }
    }
    return reminded;
  }

  private async remind(incident: Incident, due: string, now: Date) {
    const place = incident.place!;
    const person = reminderRecipient(incident);
    await this.options.sender.send(
      { serviceUrl: place.serviceUrl, conversationId: place.conversationId },
      {
        text: reminderText(incident, person, due, now),
        card: this.options.renderReminder(incident, due),
        mentions: [{ id: person.teamsId ?? person.id, name: person.name }],
      },
    );
    this.options.logger.info({ incidentId: incident.id, dueAt: due }, 'cadence reminder posted');
  }
}
