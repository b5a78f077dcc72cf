import type { AddressInfo } from 'node:net';
import { createComms } from './app-comms';
import { createEngagement } from './app-engagement';
import { createEvidenceModule } from './app-evidence';
import { createHealthModule } from './app-health';
import { createSecurityModule } from './app-security';
import { CommandRouter } from './commands/router';
import type { CommandDeps } from './commands/deps';
import { flushSummaryCards } from './commands/summary-sync';
import { renderSummaryCard } from './cards/summary-card';
import type { Config } from './config';
import { createGraphClient } from './graph/graph-client';
import { GraphTeamDirectory } from './graph/graph-team-directory';
import { HandledKeyPruner } from './incidents/handled-key-pruner';
import { IncidentService } from './incidents/incident-service';
import type { TeamDirectory } from './incidents/ports';
import { WarRoom } from './incidents/war-room';
import type { Logger } from './logger';
import { createServer } from './server';
import type { EngagementScheduler } from './engagement/engagement-scheduler';
import { SqlIncidentStore } from './store/sql-incident-store';
import { createAdapter, createDeliveryAdapter, messagesEndpoint } from './teams/adapter';
import { IncidentBot } from './teams/incident-bot';
import { TeamsSender } from './teams/sender';

export interface AppOverrides {
  clock?: () => Date;
  directory?: TeamDirectory;
}

export interface RunningApp {
  url: string;
  store: SqlIncidentStore;
  /** Cadence reminders and feedback digests; tests run a round with `runOnce`. */
  engagement: EngagementScheduler;
  stop(): Promise<void>;
}

/** The composition root: the one place where adapters are wired into the ports. */
export async function startApp(
  config: Config,
  logger: Logger,
  overrides: AppOverrides = {},
): Promise<RunningApp> {
  const clock = overrides.clock ?? (() => new Date());
  const store = await SqlIncidentStore.open(config.DATABASE_URL, {
    onIdleConnectionError: (error) => logger.warn({ err: error }, 'idle database connection lost'),
    onCheckpointError: (reason) => logger.warn({ reason }, 'background SQLite checkpoint failed'),
  });
  const graph = createGraphClient({
    baseUrl: config.GRAPH_BASE_URL,
    auth: config.GRAPH_AUTH,
    logger,
  });
  const directory = overrides.directory ?? new GraphTeamDirectory(graph, logger);

  const adapter = createAdapter(config, logger);
  const botAppId = config.BOT_AUTH === 'disabled' ? '' : config.MicrosoftAppId;
  const sender = new TeamsSender(adapter, botAppId);
  const incidents = new IncidentService(store, clock);
  const warRoom = new WarRoom({
    incidents,
    directory,
    sender,
    incidentTeamId: config.INCIDENT_TEAM_ID,
    renderSummary: (incident) => renderSummaryCard(incident, { now: clock() }),
    logger,
  });

  const deps: CommandDeps = {
    incidents,
    warRoom,
    sender,
    directory,
    incidentTeamId: config.INCIDENT_TEAM_ID,
    logger,
    clock,
  };
  const security = createSecurityModule({ config, graph, store, deps, logger });
  deps.linkDefender = (turn, incident, id) => security.module.linkOnDeclare(turn, incident, id);
  deps.onStatusChanged = (turn, incident) => security.module.offerDefenderUpdate(turn, incident);
  const engagement = createEngagement({ config, store, deps, sender, logger, clock });
  const comms = createComms({
    config,
    graph,
    store,
    adapter: createDeliveryAdapter(config),
    botAppId,
    deps,
    logger,
    clock,
    decorateStakeholder: engagement.decorateStakeholder,
  });
  const bot = new IncidentBot({
    router: new CommandRouter(deps, [
      security.module,
      comms.module,
      engagement.module,
      createEvidenceModule({ config, store, deps, logger, clock }),
      createHealthModule({ config, graph, deps, logger }),
    ]),
    store,
    allowedTenantIds: config.ALLOWED_TENANT_IDS,
    logger,
  });

  const server = createServer({
    messages: messagesEndpoint(adapter, bot, logger),
    store,
    logger,
    statusPage: engagement.statusPage,
  });
  await new Promise<void>((resolve) => server.listen(config.PORT, '0.0.0.0', resolve));
  const port = (server.address() as AddressInfo).port;
  logger.info(
    { port, mode: config.INCIDENT_TEAM_ID ? 'channel' : 'thread' },
    'incident bot listening',
  );
  comms.start();
  engagement.scheduler.start();
  // The real clock, not `clock`: claim() stamps keys with the real time.
  const pruner = new HandledKeyPruner({ store, clock: () => new Date(), logger });
  pruner.start();

  return {
    url: `http://127.0.0.1:${port}`,
    store,
    engagement: engagement.scheduler,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Both still write after the last answer: containment steps outlive their press, and the
      // summary card's newest state may be waiting out its update interval. Side by side, so
      // the two bounded waits fit the 10 s main.ts gives the whole shutdown.
      await Promise.all([security.stop(), flushSummaryCards(deps)]);
      await comms.stop();
      await engagement.scheduler.stop();
      await pruner.stop();
      await store.close();
    },
  };
}
