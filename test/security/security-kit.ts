import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ContainmentAction, ContainmentRequest } from '../../src/security/containment';
import { loadGraphFixture, type GraphFixture } from '../../src/sandbox/graph-fixture';
import { securityOf } from '../../src/sandbox/routes-security';
import {
  SANDBOX_GROUPS,
  SANDBOX_TENANT_ID,
  SANDBOX_USERS,
  type SandboxUser,
} from '../../src/sandbox/seed-tenant';
import { SqlSecurityStore } from '../../src/store/sql-security-store';
import {
  BotHarness,
  cardOf,
  cardPress,
  cardText,
  channelCommand,
  type HarnessOptions,
} from '../support/bot-harness';

export { SANDBOX_USERS };

/** Avery, Jordan and Morgan are responders; Casey's account is protected (break-glass). */
export const SECURITY_ENV = {
  SECURITY_RESPONDERS_GROUP_ID: SANDBOX_GROUPS.securityResponders.id,
  PROTECTED_ACCOUNTS: `${SANDBOX_USERS.casey.userPrincipalName}, 00000000-0000-4000-8000-00000000beef`,
};

export function startSecurityBot(options: HarnessOptions = {}): Promise<BotHarness> {
  return BotHarness.start({ ...options, env: { ...SECURITY_ENV, ...options.env } });
}

export function graphFixture(name: string): GraphFixture {
  return loadGraphFixture(path.join(__dirname, '..', 'fixtures', 'graph', `${name}.json`));
}

/** The activity as `user` of the sandbox tenant would send it. */
function asUser(activity: Record<string, any>, user: SandboxUser): Record<string, any> {
  return {
    ...activity,
    from: { id: `29:${user.id}`, name: user.displayName, aadObjectId: user.id },
    conversation: { ...activity.conversation, tenantId: SANDBOX_TENANT_ID },
    channelData: { ...activity.channelData, tenant: { id: SANDBOX_TENANT_ID } },
  };
}

export function pressAs(user: SandboxUser, verb: string, data: Record<string, unknown>) {
  return asUser(cardPress(verb, data), user);
}

let posted = 0;

/**
 * A press as `user` on a posted card of its own (Teams' replyToId), so that the updates of that
 * message can be told apart from those of every other press.
 */
export function pressOnPosted(user: SandboxUser, verb: string, data: Record<string, unknown>) {
  posted += 1;
  const postedId = `posted-${Date.now()}-${posted}`;
  return { activity: { ...pressAs(user, verb, data), replyToId: postedId }, postedId };
}

/** The texts of every card the posted message `postedId` was updated to, oldest first. */
export function postedTexts(bot: BotHarness, postedId: string): string[] {
  return bot.connector
    .updates()
    .filter((call) => call.activityId === postedId)
    .map((call) => cardText(cardOf(call.body)));
}

/** Waits until the posted message `postedId` was updated to a card matching `pattern`. */
export async function postedCardShowing(
  bot: BotHarness,
  postedId: string,
  pattern: RegExp,
  timeoutMs = 15_000,
): Promise<string> {
  const matching = () => postedTexts(bot, postedId).find((text) => pattern.test(text));
  await bot.connector.waitFor(() => matching() !== undefined, timeoutMs);
  return matching()!;
}

export function commandAs(user: SandboxUser, text: string) {
  return asUser(channelCommand(text), user);
}

/** Declares an incident as Avery and gives back its id. */
export async function declareIncident(bot: BotHarness, title: string): Promise<string> {
  await bot.send(commandAs(SANDBOX_USERS.avery, `declare ${title}`));
  const [incident] = await bot.app.store.listIncidents(SANDBOX_TENANT_ID, {
    openOnly: false,
    limit: 1,
  });
  return incident.id;
}

export function securityStore(bot: BotHarness): SqlSecurityStore {
  return SqlSecurityStore.sharing(bot.app.store);
}

/** Graph writes the sandbox received, by method and path pattern. */
export function writes(bot: BotHarness, method: string, pattern: RegExp) {
  return bot.graph.requests.filter((r) => r.method === method && pattern.test(r.path));
}

export function sandboxSecurity(bot: BotHarness) {
  return securityOf(bot.graph.state);
}

/** The button data a card carries for `action` on `accountId`, as the security card renders it. */
export function accountButton(incidentId: string, accountId: string, action: string) {
  return { incidentId, accountId, action, cardId: `card-${Math.random().toString(36).slice(2)}` };
}

/** The texts of the security card's row for the account named `name`, joined by newlines. */
export function accountRowText(card: unknown, name: string): string {
  const rows: unknown[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const element = node as { type?: string; items?: unknown[] };
    if (element.type === 'Container' && JSON.stringify(element.items?.[0]).includes(name)) {
      rows.push(element);
    }
    Object.values(node).forEach(walk);
  };
  walk(card);
  assert.equal(rows.length, 1, `the card has one row for ${name}`);
  return cardText(rows[0]);
}

/**
 * An approved one-account request whose step was claimed `minutesAgo` and never finished: what
 * the store holds when the bot process died during the Graph call.
 */
export async function lostStep(
  bot: BotHarness,
  incidentId: string,
  user: SandboxUser,
  action: ContainmentAction,
  minutesAgo: number,
): Promise<string> {
  const at = new Date(Date.now() - minutesAgo * 60_000);
  const iso = at.toISOString();
  const request: ContainmentRequest = {
    id: randomUUID(),
    tenantId: SANDBOX_TENANT_ID,
    incidentId,
    scope: 'account',
    actions: [action],
    accounts: [{ id: user.id, upn: user.userPrincipalName, name: user.displayName }],
    requestedBy: { id: SANDBOX_USERS.avery.id, name: SANDBOX_USERS.avery.displayName },
    reason: '',
    state: 'approved',
    createdAt: iso,
    expiresAt: new Date(at.getTime() + 30 * 60_000).toISOString(),
    decidedBy: { id: SANDBOX_USERS.jordan.id, name: SANDBOX_USERS.jordan.displayName },
    decidedAt: iso,
  };
  const store = securityStore(bot);
  await store.insertRequest(request);
  await store.claimExecution(request.id, user.id, action, iso);
  return request.id;
}

/** The request id a containment request card carries in its Approve button. */
export function requestIdOf(card: unknown): string {
  const match = /"requestId":"([^"]+)"/.exec(JSON.stringify(card));
  assert.ok(match, 'the card names its request');
  return match[1];
}
