import type { IdentityGraph } from './ports';

export interface ResponderCheckOptions {
  /** SECURITY_RESPONDERS_GROUP_ID; without it nobody may act. */
  groupId?: string;
  cacheMinutes: number;
  clock: () => Date;
}

/**
 * Answers "is this person a security responder" from Entra group membership (checkMemberGroups,
 * transitive). Answers are cached for a few minutes per tenant and user. A failed check is not
 * cached and refuses the action (the Graph error is shown), so an outage never lets anyone act.
 * Card data is never consulted: the person is the activity's sender.
 */
export class ResponderCheck {
  private readonly cache = new Map<string, { member: boolean; until: number }>();

  constructor(
    private readonly identity: IdentityGraph,
    private readonly options: ResponderCheckOptions,
  ) {}

  get configured(): boolean {
    return this.options.groupId !== undefined;
  }

  async isResponder(tenantId: string, userId: string): Promise<boolean> {
    const groupId = this.options.groupId;
    // A Teams id (29:…) means Teams did not tell us the Entra object id: no way to check.
    if (!groupId || !/^[0-9a-f-]{36}$/i.test(userId)) return false;

    const key = `${tenantId}:${userId.toLowerCase()}`;
    const now = this.options.clock().getTime();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.member;

    const member = await this.identity.isMemberOf(userId, groupId);
    this.cache.set(key, { member, until: now + this.options.cacheMinutes * 60_000 });
    if (this.cache.size > 10_000) this.cache.clear();
    return member;
  }
}
