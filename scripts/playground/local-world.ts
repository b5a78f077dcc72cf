import {
  SANDBOX_CHANNELS,
  SANDBOX_TEAM,
  SANDBOX_TENANT_ID,
  SANDBOX_USERS,
} from '../../src/sandbox/seed-tenant';
import type { PlaygroundWorld } from './config';

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
