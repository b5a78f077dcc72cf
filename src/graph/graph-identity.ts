import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { Logger } from '../logger';
import { OBJECT_ID } from '../security/containment';
import type { RiskyAccount } from '../security/evidence';
import type { DirectoryAccount, GraphOutcome, IdentityGraph } from '../security/ports';
import { graphErrorDetails, readUnlessMissing, toDependencyError } from './graph-errors';
import { sendWrite } from './graph-write';

const UserResponse = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
});

/** One risky user, read leniently: odd casing is normalised, anything unusable is dropped. */
const RiskyUser = z.object({
  id: z.string().regex(OBJECT_ID),
  userPrincipalName: z.string().nullish(),
  userDisplayName: z.string().nullish(),
  riskLevel: z.string().transform((value) => value.toLowerCase()),
  riskState: z
    .string()
    .nullish()
    .transform((value) => value?.trim() || 'unknown'),
  riskLastUpdatedDateTime: z.string().nullish(),
  isDeleted: z.boolean().nullish(),
  isProcessing: z.boolean().nullish(),
});

const Page = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().nullish(),
});

const MemberGroups = z.object({ value: z.array(z.string()) });

const LISTED_RISK = new Set(['high', 'medium']);
const PLACEHOLDER_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;
const MAX_PAGES = 10;

/** Entra ID through Graph: accounts, their sign-in and risk, and group membership. */
export class GraphIdentity implements IdentityGraph {
  constructor(
    private readonly client: Client,
    private readonly logger: Logger,
  ) {}

  async getAccount(id: string): Promise<DirectoryAccount | undefined> {
    const response = await readUnlessMissing(
      () =>
        this.client
          .api(`/users/${encodeURIComponent(id)}`)
          .select(['id', 'displayName', 'userPrincipalName', 'accountEnabled'])
          .get(),
      'look the account up',
    );
    if (response === undefined) return undefined;
    const user = UserResponse.parse(response);
    const upn = user.userPrincipalName ?? '';
    return {
      id: user.id,
      upn,
      name: user.displayName || upn || user.id,
      accountEnabled: user.accountEnabled ?? undefined,
    };
  }

  setAccountEnabled(id: string, enabled: boolean): Promise<GraphOutcome> {
    const path = `/users/${encodeURIComponent(id)}`;
    return sendWrite(this.client, this.logger, 'PATCH', path, { accountEnabled: enabled });
  }

  revokeSessions(id: string): Promise<GraphOutcome> {
    const path = `/users/${encodeURIComponent(id)}/revokeSignInSessions`;
    return sendWrite(this.client, this.logger, 'POST', path, {});
  }

  confirmCompromised(ids: string[]): Promise<GraphOutcome> {
    const path = '/identityProtection/riskyUsers/confirmCompromised';
    return sendWrite(this.client, this.logger, 'POST', path, { userIds: ids });
  }

  dismissRisk(ids: string[]): Promise<GraphOutcome> {
    const path = '/identityProtection/riskyUsers/dismiss';
    return sendWrite(this.client, this.logger, 'POST', path, { userIds: ids });
  }

  async listRiskyUsers(): Promise<RiskyAccount[]> {
    const accounts: RiskyAccount[] = [];
    let next: string | undefined = '/identityProtection/riskyUsers';
    for (let page = 0; next && page < MAX_PAGES; page++) {
      let response: unknown;
      try {
        const request = this.client.api(next);
        response = await (page === 0
          ? request.filter("riskLevel eq 'high' or riskLevel eq 'medium'").get()
          : request.get());
      } catch (error) {
        throw toDependencyError(error, 'read the risky users');
      }
      const parsed = Page.safeParse(response);
      if (!parsed.success) {
        this.logger.warn({ issues: parsed.error.issues.length }, 'risky users page skipped');
        break;
      }
      accounts.push(...parsed.data.value.flatMap((item) => this.riskyAccount(item)));
      next = parsed.data['@odata.nextLink'] ?? undefined;
    }
    return accounts;
  }

  async isMemberOf(userId: string, groupId: string): Promise<boolean> {
    let response: unknown;
    try {
      response = await this.client
        .api(`/users/${encodeURIComponent(userId)}/checkMemberGroups`)
        .post({ groupIds: [groupId] });
    } catch (error) {
      // A person Entra does not know is not a responder; anything else is an outage.
      if (graphErrorDetails(error).status === 404) return false;
      throw toDependencyError(error, 'check security responder membership');
    }
    const parsed = MemberGroups.safeParse(response);
    if (!parsed.success) return false;
    return parsed.data.value.some((id) => id.toLowerCase() === groupId.toLowerCase());
  }

  private riskyAccount(item: unknown): RiskyAccount[] {
    const parsed = RiskyUser.safeParse(item);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.'));
      this.logger.warn({ fields }, 'risky user skipped: unexpected shape');
      return [];
    }
    const user = parsed.data;
    if (PLACEHOLDER_ID.test(user.id)) {
      this.logger.warn({ reason: 'placeholder id' }, 'risky user skipped');
      return [];
    }
    // The filter is asked of Graph, and checked here in case it was not applied.
    if (!LISTED_RISK.has(user.riskLevel)) return [];

    const upn = user.userPrincipalName?.trim() ?? '';
    return [
      {
        id: user.id,
        upn,
        name: user.userDisplayName?.trim() || upn || user.id,
        riskLevel: user.riskLevel,
        riskState: user.riskState,
        lastUpdated: user.riskLastUpdatedDateTime ?? undefined,
        isDeleted: user.isDeleted === true,
        isProcessing: user.isProcessing === true,
      },
    ];
  }
}
