import {
  SANDBOX_CHANNELS,
  SANDBOX_GROUPS,
  SANDBOX_TEAM,
  SANDBOX_TENANT_ID,
  SANDBOX_USERS,
} from '../../src/sandbox/seed-tenant';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startSandboxGraph, type SandboxGraph } from '../../src/sandbox/sandbox-graph';
import { writePlaygroundConfig, type PlaygroundWorld } from './config';
import { startPlayground, type PlaygroundHandle } from './launch';

export const LOCAL_BOT_ID = '28:00000000-0000-4000-8000-0000000000b0';
export const LOCAL_BOT_NAME = 'Incident Bot';

/**
 * The Playground's world is the sandbox tenant: the same tenant id, people (by Entra object id)
 * and channels, so what the bot looks up in the sandbox Graph matches who is typing.
 */
export function localWorld(currentUserId: string = SANDBOX_USERS.avery.id): PlaygroundWorld {
  return {
    tenantId: SANDBOX_TENANT_ID,
    botId: LOCAL_BOT_ID,
    botName: LOCAL_BOT_NAME,
    currentUserId,
    users: Object.values(SANDBOX_USERS).map((user) => ({
      id: user.id,
      name: user.displayName,
      upn: user.userPrincipalName,
    })),
    team: {
      id: SANDBOX_CHANNELS.general.id,
      aadGroupId: SANDBOX_TEAM.id,
      name: SANDBOX_TEAM.displayName,
      channels: [
        { id: SANDBOX_CHANNELS.general.id, name: 'General' },
        { id: SANDBOX_CHANNELS.incidents.id, name: SANDBOX_CHANNELS.incidents.displayName },
        { id: SANDBOX_CHANNELS.stakeholders.id, name: SANDBOX_CHANNELS.stakeholders.displayName },
      ],
    },
    personalChatId: 'a:personal-chat-incident-bot',
    groupChat: { id: '19:incident-group-chat@thread.v2', name: 'Incident Group Chat' },
  };
}

export interface LocalWorldOptions {
  botPort?: number;
  playgroundPort?: number;
  graphPort?: number;
  databaseUrl?: string;
  /** Where the Playground's config and log go. */
  configDir: string;
  currentUserId?: string;
  logLevel?: string;
  /** Extra settings for the bot (feature settings such as the stakeholder channel). */
  env?: Record<string, string>;
}

export interface LocalWorld {
  app: RunningApp;
  graph: SandboxGraph;
  playground: PlaygroundHandle;
  /** Restarts only the Playground, acting as another person (it has no user switch). */
  switchUser(currentUserId: string): Promise<PlaygroundHandle>;
  stop(): Promise<void>;
}

/** The sandbox Graph, the bot (authentication off) and the Playground, wired to each other. */
export async function startLocalWorld(options: LocalWorldOptions): Promise<LocalWorld> {
  const logger = createLogger(options.logLevel ?? 'info');
  const graph = await startSandboxGraph({ port: options.graphPort ?? 0 });

  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: String(options.botPort ?? 0),
    BOT_AUTH: 'disabled',
    DATABASE_URL: options.databaseUrl ?? 'sqlite::memory:',
    GRAPH_BASE_URL: graph.url,
    GRAPH_AUTH: 'none',
    ALLOWED_TENANT_IDS: SANDBOX_TENANT_ID,
    // The Playground shows only the channels in its config, so a channel made through the
    // sandbox Graph could never be seen there: locally, incidents run in thread mode.
    INCIDENT_TEAM_ID: '',
    LOG_LEVEL: options.logLevel ?? 'info',
    ...localFeatureSettings(),
    ...options.env,
  });
  const app = await startApp(config, logger);
  const botEndpoint = `${app.url}/api/messages`;

  const startAs = async (currentUserId: string, port?: number) => {
    writePlaygroundConfig(options.configDir, localWorld(currentUserId));
    return startPlayground({ configDir: options.configDir, botEndpoint, port });
  };
  const world: LocalWorld = {
    app,
    graph,
    playground: await startAs(
      options.currentUserId ?? SANDBOX_USERS.avery.id,
      options.playgroundPort,
    ),
    async switchUser(currentUserId: string) {
      const port = world.playground.port;
      await world.playground.stop();
      world.playground = await startAs(currentUserId, port);
      return world.playground;
    },
    async stop() {
      // The bot first: stopping, it sends the summary cards' last changes to the Playground.
      await app.stop();
      await world.playground.stop();
      await graph.close();
    },
  };
  return world;
}

/** Settings of later features that make them work in the local world. */
function localFeatureSettings(): Record<string, string> {
  return {
    // Security response: Avery, Jordan and Morgan of the sandbox tenant may contain and approve.
    SECURITY_RESPONDERS_GROUP_ID: SANDBOX_GROUPS.securityResponders.id,
    // Stakeholder updates: one thread per incident in the Playground's Stakeholders channel.
    STAKEHOLDER_CHANNEL_ID: SANDBOX_CHANNELS.stakeholders.id,
  };
}
