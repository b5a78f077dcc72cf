/**
 * The fictional tenant the sandbox Graph serves. Every id is a made-up GUID of the form
 * 00000000-0000-4000-8000-…; every address is under contoso.example, a reserved domain.
 * Tests and the Playground configuration import these constants instead of repeating ids.
 */

export interface SandboxUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string;
  jobTitle: string;
}

export interface SandboxChannel {
  id: string;
  displayName: string;
  description: string;
  membershipType: 'standard' | 'private' | 'shared';
  createdDateTime: string;
}

export interface SandboxTeamSeed {
  /** The team's Entra group id, which is also its Graph team id. */
  id: string;
  displayName: string;
  description: string;
  channels: SandboxChannel[];
  /** User id → roles ('owner' or none). */
  members: Record<string, string[]>;
}

export interface SandboxGroupSeed {
  id: string;
  displayName: string;
  memberIds: readonly string[];
}

export interface SandboxSeed {
  tenantId: string;
  users: SandboxUser[];
  teams: SandboxTeamSeed[];
  groups: SandboxGroupSeed[];
}

export const SANDBOX_TENANT_ID = '00000000-0000-4000-8000-000000000001';

function user(n: number, first: string, last: string, jobTitle: string): SandboxUser {
  const upn = `${first}.${last}@contoso.example`.toLowerCase();
  return {
    id: `00000000-0000-4000-8000-${String(100 + n).padStart(12, '0')}`,
    displayName: `${first} ${last}`,
    userPrincipalName: upn,
    mail: upn,
    jobTitle,
  };
}

export const SANDBOX_USERS = {
  avery: user(1, 'Avery', 'Example', 'Security Operations Lead'),
  jordan: user(2, 'Jordan', 'Sample', 'Site Reliability Engineer'),
  riley: user(3, 'Riley', 'Placeholder', 'Communications Manager'),
  casey: user(4, 'Casey', 'Demo', 'Platform Engineer'),
  morgan: user(5, 'Morgan', 'Test', 'Security Analyst'),
  quinn: user(6, 'Quinn', 'Fictional', 'Legal Counsel'),
} as const satisfies Record<string, SandboxUser>;

const SEEDED_AT = '2024-01-02T09:00:00Z';

function channel(hexId: string, displayName: string, description: string): SandboxChannel {
  return {
    id: `19:${hexId}@thread.tacv2`,
    displayName,
    description,
    membershipType: 'standard',
    createdDateTime: SEEDED_AT,
  };
}

export const SANDBOX_CHANNELS = {
  general: channel('00000000000040008000000000000011', 'General', 'Team-wide announcements'),
  incidents: channel(
    '00000000000040008000000000000012',
    'Incidents',
    'Where incidents are declared',
  ),
  stakeholders: channel(
    '00000000000040008000000000000013',
    'Stakeholders',
    'Status for leadership',
  ),
} as const satisfies Record<string, SandboxChannel>;

export const SANDBOX_TEAM = {
  id: '00000000-0000-4000-8000-000000000010',
  displayName: 'Incident Response',
  description: 'On-call responders and war rooms',
} as const;

/** Team members; Morgan and Quinn are in the tenant but not in the team. */
export const SANDBOX_TEAM_MEMBERS: Record<string, string[]> = {
  [SANDBOX_USERS.avery.id]: ['owner'],
  [SANDBOX_USERS.jordan.id]: [],
  [SANDBOX_USERS.riley.id]: [],
  [SANDBOX_USERS.casey.id]: [],
};

export const SANDBOX_GROUPS = {
  securityResponders: {
    id: '00000000-0000-4000-8000-000000000201',
    displayName: 'Security Responders',
    memberIds: [SANDBOX_USERS.avery.id, SANDBOX_USERS.jordan.id, SANDBOX_USERS.morgan.id],
  },
} as const satisfies Record<string, SandboxGroupSeed>;

export const SANDBOX_SEED: SandboxSeed = {
  tenantId: SANDBOX_TENANT_ID,
  users: Object.values(SANDBOX_USERS),
  teams: [
    {
      ...SANDBOX_TEAM,
      channels: Object.values(SANDBOX_CHANNELS),
      members: SANDBOX_TEAM_MEMBERS,
    },
  ],
  groups: Object.values(SANDBOX_GROUPS),
};
