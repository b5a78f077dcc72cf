import { renderCadenceReminder, withFeedback } from './cards/engagement-cards';
import { renderStakeholderCard } from './cards/update-cards';
import type { CommandDeps } from './commands/deps';
import type { StakeholderUpdate } from './comms/update';
import { statusPageTenantOf, statusPageUrlFor, type Config } from './config';
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
  /**
   * Undefined when STATUS_PAGE=off, or when several tenants are allowed and STATUS_PAGE_TENANT_ID
   * names none: the routes are not registered and answer 404.
   */
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
      return renderStakeholderCard(update, incident, {
        statusPageUrl: statusPageUrlFor(config, incident.tenantId),
      });
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

  return {
    module,
    scheduler,
    statusPage: statusPageOf(wiring),
    decorateStakeholder: (card, update) => withFeedback(card, update.id),
  };
}

/** One tenant's page, or none: a page of several tenants shows each one the others' incidents. */
function statusPageOf(wiring: EngagementWiring): StatusPageOptions | undefined {
  const { config, store, logger, clock } = wiring;
  if (config.STATUS_PAGE === 'off') return undefined;

  const tenantId = statusPageTenantOf(config);
  if (!tenantId) {
    logger.warn(
      { setting: 'STATUS_PAGE_TENANT_ID' },
      'status page off: several tenants are allowed and none is chosen for it',
    );
    return undefined;
  }

  return {
    reader: new SqlStatusReader(store.database),
    tenantId,
    title: config.STATUS_PAGE_TITLE,
    resolvedDays: config.STATUS_PAGE_RESOLVED_DAYS,
    clock,
    logger,
  };
}
