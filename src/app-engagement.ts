import { renderCadenceReminder, withFeedback } from './cards/engagement-cards';
import { renderStakeholderCard } from './cards/update-cards';
import type { CommandDeps } from './commands/deps';
import type { StakeholderUpdate } from './comms/update';
import type { Config } from './config';
import { intervalMinutes } from './engagement/cadence';
import { EngagementScheduler } from './engagement/engagement-scheduler';
import { FeedbackModule } from './commands/feedback-module';
import { FeedbackService } from './engagement/feedback-service';
import type { ConversationSender } from './incidents/ports';
import type { Logger } from './logger';
import type { StatusPageOptions } from './status-page/status-routes';
import { SqlCommsStore } from './store/sql-comms-store';
import { SqlFeedbackStore } from './store/sql-feedback-store';
import type { SqlIncidentStore } from './store/sql-incident-store';
import { SqlCadenceReader, SqlStatusReader } from './store/sql-engagement-readers';

export interface EngagementWiring {
  config: Config;
  store: SqlIncidentStore;
  deps: CommandDeps;
  sender: ConversationSender;
  logger: Logger;
  clock: () => Date;
}

export interface Engagement {
  module: FeedbackModule;
  scheduler: EngagementScheduler;
  /** Undefined when STATUS_PAGE=off: the routes are not registered and answer 404. */
  statusPage?: StatusPageOptions;
  /** Appends the feedback buttons to a stakeholder card (for the comms renderer). */
  decorateStakeholder(
    card: Record<string, unknown>,
    update: StakeholderUpdate,
  ): Record<string, unknown>;
}

/** Feedback, cadence reminders and the public status page, wired into ports. */
export function createEngagement(wiring: EngagementWiring): Engagement {
  const { config, store, deps, logger, clock } = wiring;
  // Same Kysely instance as the incident store: one SQLite connection, one PostgreSQL pool.
  const db = store.database;
  const comms = new SqlCommsStore(db, store.dialect);
  const feedback = new FeedbackService(new SqlFeedbackStore(db), store, clock);
  deps.summaryFeedback = (incidentId, options) => feedback.summaryLine(incidentId, options);

  const module = new FeedbackModule({
    deps,
    feedback,
    // The same comms card the stakeholder saw, rendered again for the voter's answer.
    stakeholderCard: async (updateId) => {
      const update = await comms.getUpdate(updateId);
      if (!update) return undefined;
      const incident = await deps.incidents.get(update.incidentId);
      return renderStakeholderCard(update, incident, { statusPageUrl: config.STATUS_PAGE_URL });
    },
  });

  const cadence = config.CADENCE_MINUTES;
  const scheduler = new EngagementScheduler({
    reader: new SqlCadenceReader(db),
    incidents: store,
    sender: wiring.sender,
    feedback,
    cadence,
    renderReminder: (incident, due) =>
      renderCadenceReminder(incident, due, intervalMinutes(cadence, incident.severity), clock()),
    pollMs: config.CADENCE_POLL_SECONDS * 1000,
    clock,
    logger,
  });

  const statusPage: StatusPageOptions | undefined =
    config.STATUS_PAGE === 'on'
      ? {
          reader: new SqlStatusReader(db),
          title: config.STATUS_PAGE_TITLE,
          resolvedDays: config.STATUS_PAGE_RESOLVED_DAYS,
          feedSeed: [...config.ALLOWED_TENANT_IDS].sort().join(','),
          clock,
          logger,
        }
      : undefined;

  return {
    module,
    scheduler,
    statusPage,
    decorateStakeholder: (card, update) => withFeedback(card, update.id),
  };
}
