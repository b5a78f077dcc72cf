import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { channelNameProblem } from './channel-name-rules';
import { findUser, type SandboxState, type SandboxTeam } from './sandbox-state';
import type { SandboxChannel, SandboxUser } from './seed-tenant';
import { COMMS_ROUTES } from './routes-comms';
import { HEALTH_ROUTES } from './routes-health';
import { SECURITY_ROUTES, securityOf } from './routes-security';

export interface SandboxAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteRequest {
  method: string;
  /** Decoded path, e.g. /v1.0/teams/{id}/channels. */
  path: string;
  /** The query, decoded. */
  query: URLSearchParams;
  /** The sandbox's own base URL as the client reached it, for links such as @odata.nextLink. */
  baseUrl: string;
  body: unknown;
  requestId: string;
}

export type Handler = (state: SandboxState, req: RouteRequest, params: string[]) => SandboxAnswer;

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata';

/** The body Graph sends with a failure, with the request id the headers also carry. */
export function graphError(status: number, code: string, message: string, requestId: string) {
  const innerError = { date: new Date().toISOString().slice(0, 19), 'request-id': requestId };
  return {
    status,
    body: {
      error: { code, message, innerError: { ...innerError, 'client-request-id': requestId } },
    },
  };
}

const NewChannel = z.object({
  displayName: z.string(),
  description: z.string().optional(),
  membershipType: z.enum(['standard', 'private', 'shared']).default('standard'),
});

const NewMember = z.object({
  '@odata.type': z.literal('#microsoft.graph.aadUserConversationMember'),
  roles: z.array(z.string()).default([]),
  'user@odata.bind': z.string(),
});

const MemberGroupsCheck = z.object({ groupIds: z.array(z.string()).max(20) });

export interface SandboxRoute {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const coreRoutes: SandboxRoute[] = [
  { method: 'POST', pattern: /^\/v1\.0\/teams\/([^/]+)\/channels$/, handler: createChannel },
  { method: 'GET', pattern: /^\/v1\.0\/teams\/([^/]+)\/channels$/, handler: listChannels },
  { method: 'POST', pattern: /^\/v1\.0\/teams\/([^/]+)\/members$/, handler: addMember },
  { method: 'GET', pattern: /^\/v1\.0\/users\/([^/]+)$/, handler: getUser },
  { method: 'POST', pattern: /^\/v1\.0\/users\/([^/]+)\/checkMemberGroups$/, handler: checkGroups },
];

/** Answers one Graph call from the state; unknown calls get 501 so gaps are obvious. */
export function routeGraphRequest(state: SandboxState, req: RouteRequest): SandboxAnswer {
  for (const route of [...coreRoutes, ...COMMS_ROUTES, ...SECURITY_ROUTES, ...HEALTH_ROUTES]) {
    const match = route.method === req.method ? route.pattern.exec(req.path) : null;
    if (match) return route.handler(state, req, match.slice(1));
  }
  const message = `The sandbox Graph does not implement ${req.method} ${req.path}.`;
  return graphError(501, 'SandboxNotImplemented', message, req.requestId);
}

function teamOr404(state: SandboxState, teamId: string, requestId: string) {
  const team = state.teams.get(teamId);
  return team ?? graphError(404, 'NotFound', `No team found with Group Id ${teamId}`, requestId);
}

function createChannel(state: SandboxState, req: RouteRequest, [teamId]: string[]) {
  const team = teamOr404(state, teamId, req.requestId);
  if (!isTeam(team)) return team;
  const parsed = NewChannel.safeParse(req.body);
  if (!parsed.success) return graphError(400, 'BadRequest', 'Invalid channel.', req.requestId);

  const { displayName, description = '', membershipType } = parsed.data;
  const problem = channelNameProblem(displayName);
  if (problem) return graphError(400, 'BadRequest', problem, req.requestId);
  const taken = team.channels.some(
    (channel) => channel.displayName.toLowerCase() === displayName.toLowerCase(),
  );
  if (taken) {
    const message = 'Channel name already existed, please use other name.';
    return graphError(400, 'NameAlreadyExists', message, req.requestId);
  }

  const channel: SandboxChannel = {
    id: `19:${randomBytes(16).toString('hex')}@thread.tacv2`,
    displayName,
    description,
    membershipType,
    createdDateTime: new Date().toISOString(),
  };
  team.channels.push(channel);
  const body = {
    '@odata.context': `${CONTEXT}#teams('${team.id}')/channels/$entity`,
    ...channelResource(state, team, channel),
  };
  return { status: 201, body };
}

function listChannels(state: SandboxState, req: RouteRequest, [teamId]: string[]) {
  const team = teamOr404(state, teamId, req.requestId);
  if (!isTeam(team)) return team;
  const value = team.channels.map((channel) => channelResource(state, team, channel));
  return {
    status: 200,
    body: { '@odata.context': `${CONTEXT}#teams('${team.id}')/channels`, value },
  };
}

function addMember(state: SandboxState, req: RouteRequest, [teamId]: string[]) {
  const team = teamOr404(state, teamId, req.requestId);
  if (!isTeam(team)) return team;
  const parsed = NewMember.safeParse(req.body);
  const userId = parsed.success
    ? /users\('(.*)'\)$/.exec(parsed.data['user@odata.bind'])?.[1]
    : null;
  if (!parsed.success || !userId) {
    return graphError(400, 'BadRequest', 'Invalid conversation member.', req.requestId);
  }
  const user = findUser(state, userId.replaceAll("''", "'"));
  if (!user) return graphError(404, 'NotFound', `User ${userId} not found.`, req.requestId);
  if (team.members.has(user.id)) {
    return graphError(409, 'Conflict', 'The member is already in the team.', req.requestId);
  }

  team.members.set(user.id, parsed.data.roles);
  const body = {
    '@odata.context': `${CONTEXT}#teams('${team.id}')/members/$entity`,
    '@odata.type': '#microsoft.graph.aadUserConversationMember',
    id: Buffer.from(`${team.id}##${user.id}`).toString('base64'),
    roles: parsed.data.roles,
    displayName: user.displayName,
    userId: user.id,
    email: user.mail,
    tenantId: state.tenantId,
  };
  return { status: 201, body };
}

function getUser(state: SandboxState, req: RouteRequest, [idOrUpn]: string[]) {
  const user = findUser(state, idOrUpn);
  if (!user) return userNotFound(idOrUpn, req.requestId);
  // Sign-in as containment left it (routes-security.ts), so a re-check reads what a block did.
  const accountEnabled = securityOf(state).accountEnabled.get(user.id) ?? true;
  return {
    status: 200,
    body: { '@odata.context': `${CONTEXT}#users/$entity`, ...user, accountEnabled },
  };
}

function checkGroups(state: SandboxState, req: RouteRequest, [idOrUpn]: string[]) {
  const user = findUser(state, idOrUpn);
  if (!user) return userNotFound(idOrUpn, req.requestId);
  const parsed = MemberGroupsCheck.safeParse(req.body);
  if (!parsed.success) {
    return graphError(400, 'BadRequest', 'groupIds must list at most 20 ids.', req.requestId);
  }
  const value = parsed.data.groupIds.filter((id) => isMember(state, id, user));
  return { status: 200, body: { '@odata.context': `${CONTEXT}#Collection(Edm.String)`, value } };
}

// A team is an Entra group too, so its members count as members of its group id.
function isMember(state: SandboxState, groupId: string, user: SandboxUser): boolean {
  if (state.groups.get(groupId)?.memberIds.has(user.id)) return true;
  return state.teams.get(groupId)?.members.has(user.id) ?? false;
}

function userNotFound(idOrUpn: string, requestId: string) {
  const message =
    `Resource '${idOrUpn}' does not exist or one of its queried reference-property ` +
    'objects are not present.';
  return graphError(404, 'Request_ResourceNotFound', message, requestId);
}

function channelResource(state: SandboxState, team: SandboxTeam, channel: SandboxChannel) {
  const webUrl =
    `https://teams.microsoft.com/l/channel/${encodeURIComponent(channel.id)}/` +
    `${encodeURIComponent(channel.displayName)}?groupId=${team.id}&tenantId=${state.tenantId}`;
  return { ...channel, isFavoriteByDefault: null, email: '', webUrl };
}

function isTeam(value: SandboxTeam | SandboxAnswer): value is SandboxTeam {
  return 'channels' in value;
}
