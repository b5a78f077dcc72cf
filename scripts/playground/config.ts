/**
 * Generator for the Microsoft 365 Agents Playground config file (`.m365agentsplayground.yml`).
 *
 * Facts (read from @microsoft/m365agentsplayground 0.2.28, dist/index.js, and checked by running it):
 * - The file is read from `$M365_AGENTS_PLAYGROUND_CONFIG_PATH` or else `<cwd>/.m365agentsplayground.yml`
 *   (legacy: `<cwd>/.teamsapptesttool.yml`). There is no CLI flag for it.
 * - It is validated with JSON schema 0.1.1 (additionalProperties: false everywhere) plus:
 *   user ids unique (currentUser + users), and personalChat/groupChat/team/channel ids unique.
 * - Stock limits: `users` must have EXACTLY 5 entries (besides `currentUser`); `team.channels` at most 1
 *   entry (besides General). General is implicit: its name is "General" and its id is `team.id`.
 *   `scripts/playground/schema-patch.cjs` (a `node -r` preload) lifts both limits at runtime.
 * - Invalid config: the CLI prints "Listening on <port>" and then exits 1; the reason goes to
 *   `devTools/m365agentsplayground.log` (relative to cwd, or `$M365_AGENTS_PLAYGROUND_LOGFILE`).
 * - User fields are all required: id, name, userPrincipleName (sic), aadObjectId, givenName, surname, email.
 *   `id` is what the bot sees as `from.id`; `aadObjectId` is `from.aadObjectId`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PlaygroundUser {
  /** AAD object id (GUID). Becomes `aadObjectId`; `from.id` is derived from it (see channelUserId). */
  id: string;
  name: string;
  upn?: string;
  /** Bot Framework channel account id (`from.id`). Default: `29:<id>` (Teams-like). */
  channelUserId?: string;
}

export interface PlaygroundChannel {
  /** Conversation id of the channel, any string (Teams form: `19:<x>@thread.tacv2`). */
  id: string;
  name: string;
}

export interface PlaygroundWorld {
  tenantId: string;
  /** Bot id as seen in `recipient.id` (Teams form `28:<appId>`; any string is accepted). */
  botId: string;
  /** Max 42 characters (schema). This is the name you @mention in the UI. */
  botName: string;
  /** AAD object id of the user the browser acts as; must be one of `users`. */
  currentUserId: string;
  /** All users, including the current one. Stock Playground: exactly 6 (current + 5). */
  users: PlaygroundUser[];
  team: {
    /** Team id == General channel conversation id. */
    id: string;
    aadGroupId?: string;
    name: string;
    /**
     * Channels. A channel named "General" (or with id === team.id) is the implicit General channel and is
     * dropped from the file (its id is always team.id). Stock Playground: at most one other channel.
     */
    channels: PlaygroundChannel[];
  };
  personalChatId?: string;
  groupChat?: { id: string; name: string };
}

export interface WrittenPlaygroundConfig {
  /** Absolute path of the yml file written. */
  path: string;
  /** The yml text. */
  yaml: string;
  /** True when the world exceeds stock limits, i.e. the Playground must run with schema-patch.cjs. */
  needsSchemaPatch: boolean;
  /** Ids the bot and the UI will use. */
  ids: {
    personalChatId: string;
    groupChatId: string;
    generalChannelId: string;
    channels: Record<string, string>;
    /** aad object id -> from.id */
    channelUserIds: Record<string, string>;
  };
}

export const PLAYGROUND_CONFIG_FILE = '.m365agentsplayground.yml';

function q(value: string): string {
  // JSON strings are valid YAML double-quoted scalars.
  return JSON.stringify(value);
}

function splitName(name: string): { givenName: string; surname: string } {
  const parts = name.trim().split(/\s+/);
  const givenName = parts[0] ?? name;
  const surname = parts.slice(1).join(' ') || givenName;
  return { givenName, surname };
}

function userUpn(u: PlaygroundUser): string {
  return (
    u.upn ??
    `${u.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '.')
      .replace(/^\.|\.$/g, '')}@example.com`
  );
}

export function channelUserIdOf(u: PlaygroundUser): string {
  return u.channelUserId ?? `29:${u.id}`;
}

function userYaml(u: PlaygroundUser, indent: string, first: string): string {
  const { givenName, surname } = splitName(u.name);
  const upn = userUpn(u);
  const lines = [
    `id: ${q(channelUserIdOf(u))}`,
    `name: ${q(u.name)}`,
    `userPrincipleName: ${q(upn)}`,
    `aadObjectId: ${q(u.id)}`,
    `givenName: ${q(givenName)}`,
    `surname: ${q(surname)}`,
    `email: ${q(upn)}`,
  ];
  return lines.map((l, i) => (i === 0 ? first : indent) + l).join('\n');
}

/** Build the yml text and derived ids without writing anything. */
export function renderPlaygroundConfig(
  world: PlaygroundWorld,
): Omit<WrittenPlaygroundConfig, 'path'> {
  if (world.botName.length > 42) throw new Error('botName: max 42 characters');
  const current = world.users.find((u) => u.id === world.currentUserId);
  if (!current) throw new Error(`currentUserId ${world.currentUserId} is not in users`);
  const others = world.users.filter((u) => u.id !== world.currentUserId);
  if (others.length < 1) throw new Error('need at least one user besides the current user');
  const allChannelIds = world.users.map(channelUserIdOf);
  if (new Set(allChannelIds).size !== allChannelIds.length)
    throw new Error('user ids must be unique');

  const extraChannels = world.team.channels.filter(
    (c) => c.id !== world.team.id && c.name.toLowerCase() !== 'general',
  );
  const personalChatId = world.personalChatId ?? `a:personal-${current.id}`;
  const groupChat = world.groupChat ?? {
    id: `19:groupchat-${world.team.id.replace(/\W+/g, '')}@thread.v2`,
    name: 'Group Chat',
  };
  const convIds = [personalChatId, groupChat.id, world.team.id, ...extraChannels.map((c) => c.id)];
  if (new Set(convIds).size !== convIds.length) {
    throw new Error('personal chat, group chat, team and channel ids must be unique');
  }
  const needsSchemaPatch = others.length !== 5 || extraChannels.length > 1;

  const out: string[] = [];
  out.push('# Generated by scripts/playground/config.ts. Schema: Agents Playground config 0.1.1.');
  if (needsSchemaPatch) {
    out.push('# Exceeds stock limits (users must be exactly 5, team.channels at most 1):');
    out.push('# run the Playground with `node -r scripts/playground/schema-patch.cjs`.');
  }
  out.push('version: "0.1.1"');
  out.push(`tenantId: ${q(world.tenantId)}`);
  out.push('bot:');
  out.push(`  id: ${q(world.botId)}`);
  out.push(`  name: ${q(world.botName)}`);
  out.push('currentUser:');
  out.push(userYaml(current, '  ', '  '));
  out.push('users:');
  for (const u of others) out.push(userYaml(u, '    ', '  - '));
  out.push('personalChat:');
  out.push(`  id: ${q(personalChatId)}`);
  out.push('groupChat:');
  out.push(`  id: ${q(groupChat.id)}`);
  out.push(`  name: ${q(groupChat.name)}`);
  out.push('team:');
  out.push(`  id: ${q(world.team.id)}`);
  out.push(`  name: ${q(world.team.name)}`);
  out.push(`  aadGroupId: ${q(world.team.aadGroupId ?? '00000000-0000-0000-0000-000000000031')}`);
  if (extraChannels.length === 0) {
    out.push('  channels: []');
  } else {
    out.push('  channels:');
    for (const c of extraChannels) {
      out.push(`    - id: ${q(c.id)}`);
      out.push(`      name: ${q(c.name)}`);
    }
  }
  const yaml = out.join('\n') + '\n';
  const channels: Record<string, string> = { General: world.team.id };
  for (const c of extraChannels) channels[c.name] = c.id;
  const channelUserIds: Record<string, string> = {};
  for (const u of world.users) channelUserIds[u.id] = channelUserIdOf(u);
  return {
    yaml,
    needsSchemaPatch,
    ids: {
      personalChatId,
      groupChatId: groupChat.id,
      generalChannelId: world.team.id,
      channels,
      channelUserIds,
    },
  };
}

/** Write `<dir>/.m365agentsplayground.yml`. Start the Playground with cwd=dir (or M365_AGENTS_PLAYGROUND_CONFIG_PATH). */
export function writePlaygroundConfig(
  dir: string,
  world: PlaygroundWorld,
): WrittenPlaygroundConfig {
  const rendered = renderPlaygroundConfig(world);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, PLAYGROUND_CONFIG_FILE);
  writeFileSync(path, rendered.yaml);
  return { path, ...rendered };
}

/** The local world for the incident bot: team "Incident Response" with General, Incidents, Stakeholders. */
export const INCIDENT_WORLD: PlaygroundWorld = {
  tenantId: '72f988bf-0000-4000-8000-00000000c0de',
  botId: '28:00000000-0000-4000-8000-0000000000b0',
  botName: 'Incident Bot',
  currentUserId: '00000000-0000-4000-8000-000000000001',
  users: [
    {
      id: '00000000-0000-4000-8000-000000000001',
      name: 'Alex Wilber',
      upn: 'alexw@contoso.example',
    },
    {
      id: '00000000-0000-4000-8000-000000000002',
      name: 'Megan Bowen',
      upn: 'meganb@contoso.example',
    },
    {
      id: '00000000-0000-4000-8000-000000000003',
      name: 'Adele Vance',
      upn: 'adelev@contoso.example',
    },
    {
      id: '00000000-0000-4000-8000-000000000004',
      name: 'Isaiah Langer',
      upn: 'isaiahl@contoso.example',
    },
    {
      id: '00000000-0000-4000-8000-000000000005',
      name: 'Patti Fernandez',
      upn: 'pattif@contoso.example',
    },
    {
      id: '00000000-0000-4000-8000-000000000006',
      name: 'Lynne Robbins',
      upn: 'lynner@contoso.example',
    },
  ],
  team: {
    id: '19:incident-response-general@thread.tacv2',
    aadGroupId: '00000000-0000-4000-8000-0000000000a1',
    name: 'Incident Response',
    channels: [
      { id: '19:incident-response-general@thread.tacv2', name: 'General' },
      { id: '19:incident-response-incidents@thread.tacv2', name: 'Incidents' },
      { id: '19:incident-response-stakeholders@thread.tacv2', name: 'Stakeholders' },
    ],
  },
  personalChatId: 'a:personal-chat-alex-incident-bot',
  groupChat: { id: '19:incident-group-chat@thread.v2', name: 'Incident Group Chat' },
};

/** Same world, but with a different current user (restart the Playground to switch). */
export function withCurrentUser(world: PlaygroundWorld, aadObjectId: string): PlaygroundWorld {
  return { ...world, currentUserId: aadObjectId };
}

// CLI: `npx tsx scripts/playground/config.ts <dir>` writes the incident world.
if (process.argv[1] && /scripts[\\/]playground[\\/]config\.ts$/.test(process.argv[1])) {
  const dir = process.argv[2] ?? '.';
  const res = writePlaygroundConfig(dir, INCIDENT_WORLD);
  console.log(`wrote ${res.path}${res.needsSchemaPatch ? ' (needs schema-patch.cjs)' : ''}`);
}
