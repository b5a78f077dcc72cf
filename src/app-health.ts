import type { Client } from '@microsoft/microsoft-graph-client';
import type { CommandDeps } from './commands/deps';
import { HealthModule } from './commands/health-module';
import type { Config } from './config';
import { GraphServiceHealth } from './graph/graph-health';
import { HealthService } from './health/health-service';
import type { Logger } from './logger';

export interface HealthWiring {
  config: Config;
  graph: Client;
  deps: CommandDeps;
  logger: Logger;
}

/** Composition of Microsoft 365 service health: the Graph adapter into the health port. */
export function createHealthModule({ config, graph, deps, logger }: HealthWiring): HealthModule {
  const source = new GraphServiceHealth(
    graph,
    logger.child({ component: 'health' }),
    config.GRAPH_BASE_URL,
  );
  return new HealthModule({ ...deps, health: new HealthService(source, deps.incidents) });
}
