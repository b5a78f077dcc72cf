import type { Client } from '@microsoft/microsoft-graph-client';
import type { CommandDeps } from './commands/deps';
import { SecurityModule } from './commands/security-module';
import type { Config } from './config';
import { GraphIdentity } from './graph/graph-identity';
import { GraphDefender } from './graph/graph-security';
import type { Logger } from './logger';
import { ContainmentService } from './security/containment-service';
import { ResponderCheck } from './security/responders';
import { SecurityService } from './security/security-service';
import type { SqlIncidentStore } from './store/sql-incident-store';
import { SqlSecurityStore } from './store/sql-security-store';

export interface SecurityWiring {
  config: Config;
  graph: Client;
  store: SqlIncidentStore;
  deps: CommandDeps;
  logger: Logger;
}

export interface SecurityParts {
  module: SecurityModule;
  /** Waits, bounded, for containment steps still running after their press was answered. */
  stop(): Promise<void>;
}

/**
 * Composition of security response (issue 4): the Graph adapters into the security ports, on
 * the incident store's database connection. Called once from startApp.
 */
export function createSecurityModule({
  config,
  graph,
  store,
  deps,
  logger,
}: SecurityWiring): SecurityParts {
  const securityLogger = logger.child({ component: 'security' });
  const securityStore = SqlSecurityStore.sharing(store);
  const identity = new GraphIdentity(graph, securityLogger);
  const defender = new GraphDefender(graph, securityLogger);
  const responders = new ResponderCheck(identity, {
    groupId: config.SECURITY_RESPONDERS_GROUP_ID,
    cacheMinutes: config.RESPONDER_CACHE_MINUTES,
    clock: deps.clock,
  });
  if (!responders.configured) {
    securityLogger.warn({}, 'SECURITY_RESPONDERS_GROUP_ID is not set; nobody may contain accounts');
  }

  const containment = new ContainmentService(securityStore, identity, responders, {
    mode: config.CONTAINMENT_APPROVAL,
    requestMinutes: config.CONTAINMENT_REQUEST_MINUTES,
    protectedAccounts: config.PROTECTED_ACCOUNTS,
    clock: deps.clock,
    logger: securityLogger,
  });
  if (config.CONTAINMENT_APPROVAL === 'single') {
    securityLogger.warn({}, 'CONTAINMENT_APPROVAL=single: one responder may block accounts alone');
  }
  const security = new SecurityService(securityStore, defender, identity, responders, deps.clock);
  const module = new SecurityModule(
    { ...deps, containment, security },
    { protectedAccounts: config.PROTECTED_ACCOUNTS },
  );
  return { module, stop: () => containment.stop() };
}
