import { z } from 'zod';
import {
  graphError,
  type RouteRequest,
  type SandboxAnswer,
  type SandboxRoute,
} from './sandbox-routes';
import { findUser, type SandboxState } from './sandbox-state';
import {
  seedDefenderIncidents,
  seedHuntingResult,
  seedRiskyUsers,
  type SandboxRiskyUser,
} from './security-seed';

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata';

/** What the security routes keep: Defender incidents, risk, account state and revocations. */
export interface SandboxSecurityState {
  incidents: Map<string, Record<string, unknown>>;
  riskyUsers: Map<string, SandboxRiskyUser>;
  /** User id → accountEnabled, for users whose flag was set through PATCH. */
  accountEnabled: Map<string, boolean>;
  /** User id → how many times its sessions were revoked. */
  revocations: Map<string, number>;
  hunting: Record<string, unknown>;
  huntingQueries: string[];
}

/** The security part of the sandbox's state, created from the seed on first use. */
export function securityOf(state: SandboxState): SandboxSecurityState {
  state.security ??= {
    incidents: new Map(seedDefenderIncidents().map((incident) => [String(incident.id), incident])),
    riskyUsers: new Map(seedRiskyUsers().map((user) => [user.id, user])),
    accountEnabled: new Map(),
    revocations: new Map(),
    hunting: seedHuntingResult(),
    huntingQueries: [],
  };
  return state.security;
}

const IncidentPatch = z
  .object({
    status: z.enum(['active', 'resolved', 'redirected', 'inProgress']).optional(),
    classification: z.string().optional(),
    determination: z.string().optional(),
    assignedTo: z.string().optional(),
  })
  .strict();
const AccountPatch = z.object({ accountEnabled: z.boolean() }).strict();
const UserIds = z.object({ userIds: z.array(z.string()).min(1).max(60) });
const HuntingQuery = z.union([
  z.object({ Query: z.string().min(1) }),
  z.object({ query: z.string().min(1) }),
]);

function getIncident(state: SandboxState, req: RouteRequest, [id]: string[]): SandboxAnswer {
  const incident = securityOf(state).incidents.get(id);
  if (!incident) return graphError(404, 'NotFound', `Incident ${id} was not found.`, req.requestId);
  return {
    status: 200,
    body: { '@odata.context': `${CONTEXT}#security/incidents/$entity`, ...incident },
  };
}

function patchIncident(state: SandboxState, req: RouteRequest, [id]: string[]): SandboxAnswer {
  const incident = securityOf(state).incidents.get(id);
  if (!incident) return graphError(404, 'NotFound', `Incident ${id} was not found.`, req.requestId);
  const patch = IncidentPatch.safeParse(req.body);
  if (!patch.success)
    return graphError(400, 'BadRequest', 'Invalid incident update.', req.requestId);
  Object.assign(incident, patch.data, { lastUpdateDateTime: new Date().toISOString() });
  return { status: 200, body: incident };
}

function listRiskyUsers(state: SandboxState): SandboxAnswer {
  const value = [...securityOf(state).riskyUsers.values()];
  return {
    status: 200,
    body: { '@odata.context': `${CONTEXT}#identityProtection/riskyUsers`, value },
  };
}

function setRisk(level: string, riskState: string) {
  return (state: SandboxState, req: RouteRequest): SandboxAnswer => {
    const parsed = UserIds.safeParse(req.body);
    if (!parsed.success)
      return graphError(400, 'BadRequest', 'userIds is required.', req.requestId);
    const security = securityOf(state);
    for (const id of parsed.data.userIds) {
      const user = security.riskyUsers.get(id) ?? findRisky(state, id);
      if (user)
        Object.assign(user, {
          riskLevel: level,
          riskState,
          riskLastUpdatedDateTime: new Date().toISOString(),
        });
    }
    return { status: 204 };
  };
}

function findRisky(state: SandboxState, id: string): SandboxRiskyUser | undefined {
  const user = findUser(state, id);
  if (!user) return undefined;
  const created: SandboxRiskyUser = {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    riskLevel: 'none',
    riskState: 'none',
    riskDetail: 'none',
    riskLastUpdatedDateTime: new Date().toISOString(),
    isDeleted: false,
    isProcessing: false,
  };
  securityOf(state).riskyUsers.set(user.id, created);
  return created;
}

function patchUser(state: SandboxState, req: RouteRequest, [idOrUpn]: string[]): SandboxAnswer {
  const user = findUser(state, idOrUpn);
  if (!user) return notFound(idOrUpn, req.requestId);
  const patch = AccountPatch.safeParse(req.body);
  if (!patch.success) {
    return graphError(400, 'BadRequest', 'The sandbox only changes accountEnabled.', req.requestId);
  }
  securityOf(state).accountEnabled.set(user.id, patch.data.accountEnabled);
  return { status: 204 };
}

/** Real Graph answers 200 with `{value:true}` here (and has been seen answering 204). */
function revokeSessions(
  state: SandboxState,
  req: RouteRequest,
  [idOrUpn]: string[],
): SandboxAnswer {
  const user = findUser(state, idOrUpn);
  if (!user) return notFound(idOrUpn, req.requestId);
  const revocations = securityOf(state).revocations;
  revocations.set(user.id, (revocations.get(user.id) ?? 0) + 1);
  return { status: 200, body: { '@odata.context': `${CONTEXT}#Edm.Boolean`, value: true } };
}

function runHuntingQuery(state: SandboxState, req: RouteRequest): SandboxAnswer {
  const parsed = HuntingQuery.safeParse(req.body);
  if (!parsed.success) return graphError(400, 'BadRequest', 'Query is required.', req.requestId);
  const security = securityOf(state);
  security.huntingQueries.push('Query' in parsed.data ? parsed.data.Query : parsed.data.query);
  return { status: 200, body: security.hunting };
}

function notFound(idOrUpn: string, requestId: string): SandboxAnswer {
  const message =
    `Resource '${idOrUpn}' does not exist or one of its queried reference-property ` +
    'objects are not present.';
  return graphError(404, 'Request_ResourceNotFound', message, requestId);
}

/** Graph calls of security response (Defender incidents, risky users, containment, hunting). */
export const SECURITY_ROUTES: SandboxRoute[] = [
  { method: 'GET', pattern: /^\/v1\.0\/security\/incidents\/([^/]+)$/, handler: getIncident },
  { method: 'PATCH', pattern: /^\/v1\.0\/security\/incidents\/([^/]+)$/, handler: patchIncident },
  { method: 'POST', pattern: /^\/v1\.0\/security\/runHuntingQuery$/, handler: runHuntingQuery },
  { method: 'GET', pattern: /^\/v1\.0\/identityProtection\/riskyUsers$/, handler: listRiskyUsers },
  {
    method: 'POST',
    pattern: /^\/v1\.0\/identityProtection\/riskyUsers\/confirmCompromised$/,
    handler: setRisk('high', 'confirmedCompromised'),
  },
  {
    method: 'POST',
    pattern: /^\/v1\.0\/identityProtection\/riskyUsers\/dismiss$/,
    handler: setRisk('none', 'dismissed'),
  },
  { method: 'PATCH', pattern: /^\/v1\.0\/users\/([^/]+)$/, handler: patchUser },
  {
    method: 'POST',
    pattern: /^\/v1\.0\/users\/([^/]+)\/revokeSignInSessions$/,
    handler: revokeSessions,
  },
];
