import type { SandboxChannel, SandboxSeed, SandboxUser } from './seed-tenant';

export interface SandboxTeam {
  id: string;
  displayName: string;
  description: string;
  channels: SandboxChannel[];
  /** User id → roles. */
  members: Map<string, string[]>;
}

export interface SandboxGroup {
  id: string;
  displayName: string;
  memberIds: Set<string>;
}

/** What the sandbox Graph knows; tests may read and change it directly. */
export interface SandboxState {
  tenantId: string;
  users: Map<string, SandboxUser>;
  teams: Map<string, SandboxTeam>;
  groups: Map<string, SandboxGroup>;
  comms?: import('./routes-comms').CommsSandboxState;
  security?: import('./routes-security').SandboxSecurityState;
  health?: import('./routes-health').SandboxHealthState;
}

/** A fresh copy, so that one server's changes never leak into the seed or another server. */
export function createSandboxState(seed: SandboxSeed): SandboxState {
  return {
    tenantId: seed.tenantId,
    users: new Map(seed.users.map((user) => [user.id, { ...user }])),
    teams: new Map(
      seed.teams.map((team) => [
        team.id,
        {
          id: team.id,
          displayName: team.displayName,
          description: team.description,
          channels: team.channels.map((channel) => ({ ...channel })),
          members: new Map(Object.entries(team.members).map(([id, roles]) => [id, [...roles]])),
        },
      ]),
    ),
    groups: new Map(
      seed.groups.map((group) => [
        group.id,
        { id: group.id, displayName: group.displayName, memberIds: new Set(group.memberIds) },
      ]),
    ),
  };
}

/** Graph addresses users by object id or by user principal name. */
export function findUser(state: SandboxState, idOrUpn: string): SandboxUser | undefined {
  const byId = state.users.get(idOrUpn);
  if (byId) return byId;
  const upn = idOrUpn.toLowerCase();
  return [...state.users.values()].find((user) => user.userPrincipalName.toLowerCase() === upn);
}
