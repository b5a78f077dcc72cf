import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { graphError, type RouteRequest, type SandboxRoute } from './sandbox-routes';
import { findUser, type SandboxState } from './sandbox-state';

/** What the comms routes remember; tests read it to see mails sent and apps installed. */
export interface CommsSandboxState {
  mails: Array<{ from: string; to: string[]; subject: string; html: string }>;
  /** User id → ids of the Teams apps installed for them. */
  installedApps: Map<string, Set<string>>;
}

const SendMail = z.object({
  message: z.object({
    subject: z.string(),
    body: z.object({ contentType: z.enum(['HTML', 'Text', 'html', 'text']), content: z.string() }),
    toRecipients: z.array(z.object({ emailAddress: z.object({ address: z.string() }) })).min(1),
  }),
  saveToSentItems: z.boolean().optional(),
});

const InstallApp = z.object({ 'teamsApp@odata.bind': z.string() });

export function commsStateOf(state: SandboxState): CommsSandboxState {
  state.comms ??= { mails: [], installedApps: new Map() };
  return state.comms;
}

function sendMail(state: SandboxState, req: RouteRequest, [sender]: string[]) {
  const user = findUser(state, sender);
  if (!user) {
    return graphError(
      404,
      'ErrorInvalidUser',
      `The requested user '${sender}' is invalid.`,
      req.requestId,
    );
  }
  const parsed = SendMail.safeParse(req.body);
  if (!parsed.success)
    return graphError(400, 'ErrorInvalidRequest', 'Invalid message.', req.requestId);

  const message = parsed.data.message;
  commsStateOf(state).mails.push({
    from: user.userPrincipalName,
    to: message.toRecipients.map((r) => r.emailAddress.address),
    subject: message.subject,
    html: message.body.content,
  });
  return { status: 202 };
}

function installApp(state: SandboxState, req: RouteRequest, [userId]: string[]) {
  const user = findUser(state, userId);
  if (!user) return graphError(404, 'NotFound', `User ${userId} not found.`, req.requestId);
  const parsed = InstallApp.safeParse(req.body);
  const appId = parsed.success
    ? /appCatalogs\/teamsApps\/([^/]+)$/.exec(parsed.data['teamsApp@odata.bind'])?.[1]
    : undefined;
  if (!appId) return graphError(400, 'BadRequest', 'Invalid teamsApp binding.', req.requestId);

  const installed = commsStateOf(state).installedApps;
  const apps = installed.get(user.id) ?? new Set<string>();
  if (apps.has(appId)) {
    return graphError(
      409,
      'Conflict',
      'The app is already installed for this user.',
      req.requestId,
    );
  }
  apps.add(appId);
  installed.set(user.id, apps);
  return { status: 201, body: { id: randomUUID(), teamsAppId: appId } };
}

/** Graph calls of stakeholder communications (sendMail, app installation for users). */
export const COMMS_ROUTES: SandboxRoute[] = [
  { method: 'POST', pattern: /^\/v1\.0\/users\/([^/]+)\/sendMail$/, handler: sendMail },
  {
    method: 'POST',
    pattern: /^\/v1\.0\/users\/([^/]+)\/teamwork\/installedApps$/,
    handler: installApp,
  },
];
