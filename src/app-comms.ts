import type { Client } from '@microsoft/microsoft-graph-client';
import {
  renderStakeholderCard,
  renderTechnicalUpdate,
  renderUpdateEmail,
} from './cards/update-cards';
import type { CommandModule } from './commands/command-module';
import { createCommsModule } from './commands/comms-module';
import type { CommandDeps } from './commands/deps';
import { CommsService } from './comms/comms-service';
import { DeliveryPruner } from './comms/delivery-pruner';
import { DeliveryWorker } from './comms/delivery-worker';
import type { UpdateRenderer } from './comms/ports';
import type { StakeholderUpdate } from './comms/update';
import { SendLimits } from './comms/send-limits';
import { statusPageUrlFor, type Config } from './config';
import { GraphAppInstaller, GraphMailSender } from './graph/graph-comms';
import type { Logger } from './logger';
import { openSharedSendBudgets } from './store/shared-send-budgets';
import { SqlCommsStore } from './store/sql-comms-store';
import type { SqlIncidentStore } from './store/sql-incident-store';
import { TeamsDeliverySender } from './teams/delivery-sender';
import type { BotAdapter } from './teams/adapter';

export interface CommsWiring {
  config: Config;
  graph: Client;
  store: SqlIncidentStore;
  /** Used for stakeholder delivery only: createDeliveryAdapter, whose clients are not shared. */
  adapter: BotAdapter;
  botAppId: string;
  deps: CommandDeps;
  logger: Logger;
  clock: () => Date;
  /** Engagement: appends the feedback buttons to every stakeholder card. */
  decorateStakeholder?: (
    card: Record<string, unknown>,
    update: StakeholderUpdate,
  ) => Record<string, unknown>;
}

export interface Comms {
  module: CommandModule;
  /** Starts the outbox worker and the pruner of finished deliveries. */
  start(): void;
  /** Lets the sends in hand finish, stops the pruner, lets go of the shared send budgets. */
  stop(): Promise<void>;
}

/**
 * Stakeholder communications wired into ports: the command module, the outbox worker with its
 * send budgets (shared through the database on PostgreSQL, in memory on SQLite) and the pruner
 * of finished deliveries.
 */
export function createComms(wiring: CommsWiring): Comms {
  const { config, graph, store, logger, clock } = wiring;
  // Same Kysely instance as the incident store: one SQLite connection, one PostgreSQL pool.
  const commsStore = new SqlCommsStore(store.database, store.dialect);
  const transport = new TeamsDeliverySender(wiring.adapter, wiring.botAppId);
  const renderer: UpdateRenderer = {
    technical: renderTechnicalUpdate,
    stakeholder: (update, incident) => {
      const card = renderStakeholderCard(update, incident, {
        statusPageUrl: statusPageUrlFor(config, incident.tenantId),
      });
      return wiring.decorateStakeholder?.(card, update) ?? card;
    },
    email: renderUpdateEmail,
  };

  // Several instances behind a load balancer share one database: there, Teams' budgets too.
  const budgets =
    store.dialect === 'postgres'
      ? openSharedSendBudgets(config.DATABASE_URL, (error) =>
          logger.warn({ err: error }, 'idle send budget connection lost'),
        )
      : undefined;
  const worker = new DeliveryWorker({
    store: commsStore,
    incidents: store,
    transport,
    renderer,
    limits: new SendLimits(
      {
        perConversationRps: config.DELIVERY_PER_CONVERSATION_RPS,
        globalRps: config.DELIVERY_GLOBAL_RPS,
      },
      budgets?.store,
    ),
    logger,
    mail: config.MAIL_SENDER ? new GraphMailSender(graph, config.MAIL_SENDER, logger) : undefined,
    installer: config.TEAMS_APP_CATALOG_ID
      ? new GraphAppInstaller(graph, config.TEAMS_APP_CATALOG_ID, logger)
      : undefined,
    pollMs: config.DELIVERY_POLL_MS,
    leaseMs: config.DELIVERY_LEASE_SECONDS * 1000,
    batchSize: config.DELIVERY_BATCH,
    maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
    maxThrottles: config.DELIVERY_MAX_THROTTLES,
    retryBaseMs: config.DELIVERY_RETRY_BASE_MS,
    retryMaxMs: config.DELIVERY_RETRY_MAX_MS,
    // Leases and backoff are real durations: the worker keeps the real clock even in tests.
  });

  const pruner = new DeliveryPruner({
    store: commsStore,
    retentionDays: config.DELIVERY_RETENTION_DAYS,
    clock: () => new Date(),
    logger,
  });

  const comms = new CommsService(
    commsStore,
    { stakeholderChannelId: config.STAKEHOLDER_CHANNEL_ID, emails: config.STAKEHOLDER_EMAILS },
    clock,
  );
  const module = createCommsModule({
    core: wiring.deps,
    comms,
    transport,
    wakeWorker: () => worker.wake(),
    deliveryRetentionDays: config.DELIVERY_RETENTION_DAYS,
  });
  return {
    module,
    start() {
      worker.start();
      pruner.start();
    },
    async stop() {
      await worker.stop();
      await pruner.stop();
      await budgets?.close();
    },
  };
}
