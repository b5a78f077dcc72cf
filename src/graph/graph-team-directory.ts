import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { DependencyError } from '../errors';
import type { CreatedChannel, TeamDirectory } from '../incidents/ports';
import type { Logger } from '../logger';
import { graphErrorDetails, readUnlessMissing, toDependencyError } from './graph-errors';

const CreatedChannelResponse = z.object({
  id: z.string().startsWith('19:'),
  webUrl: z.string().nullish(),
});

const UserResponse = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
});

// Error codes with which Graph may answer 400 instead of 409 for a user already in the team.
// Known gap: Graph documents neither; real Graph has also been seen answering 201 again.
const MEMBER_EXISTS_CODES = new Set(['MemberAlreadyExists', 'ConversationMemberAlreadyExists']);

/** TeamDirectory over Microsoft Graph with application permissions. */
export class GraphTeamDirectory implements TeamDirectory {
  constructor(
    private readonly client: Client,
    private readonly logger?: Logger,
  ) {}

  async createChannel(
    teamId: string,
    displayName: string,
    description: string,
  ): Promise<CreatedChannel> {
    let response: unknown;
    try {
      response = await this.client
        .api(`/teams/${encodeURIComponent(teamId)}/channels`)
        .post({ displayName, description, membershipType: 'standard' });
    } catch (error) {
      throw toDependencyError(error, 'create the incident channel');
    }

    const parsed = CreatedChannelResponse.safeParse(response);
    if (!parsed.success) {
      throw new DependencyError(
        'Microsoft Graph created the channel but answered in an unexpected shape.',
        'graph',
        { code: 'UnexpectedResponse' },
        { cause: parsed.error },
      );
    }
    return { id: parsed.data.id, webUrl: parsed.data.webUrl ?? undefined };
  }

  async getUser(userId: string): Promise<{ id: string; displayName: string } | undefined> {
    const response = await readUnlessMissing(
      () =>
        this.client
          .api(`/users/${encodeURIComponent(userId)}`)
          .select(['id', 'displayName', 'userPrincipalName'])
          .get(),
      'look up the user',
    );
    if (response === undefined) return undefined;

    const parsed = UserResponse.safeParse(response);
    if (!parsed.success) {
      throw new DependencyError(
        'Microsoft Graph answered the user lookup in an unexpected shape.',
        'graph',
        { code: 'UnexpectedResponse' },
        { cause: parsed.error },
      );
    }
    // Some directory objects have no display name; the UPN is the next most readable thing.
    const { id, displayName, userPrincipalName } = parsed.data;
    return { id, displayName: displayName || userPrincipalName || id };
  }

  async addTeamMember(
    teamId: string,
    userId: string,
  ): Promise<'added' | 'already-member' | 'forbidden'> {
    // OData string literals escape a quote by doubling it.
    const bind = `https://graph.microsoft.com/v1.0/users('${userId.replaceAll("'", "''")}')`;
    try {
      await this.client.api(`/teams/${encodeURIComponent(teamId)}/members`).post({
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        roles: [],
        'user@odata.bind': bind,
      });
      return 'added';
    } catch (error) {
      const details = graphErrorDetails(error);
      if (details.status === 409) return 'already-member';
      if (details.status === 400 && details.code && MEMBER_EXISTS_CODES.has(details.code)) {
        return 'already-member';
      }
      if (details.status === 403) {
        this.logger?.warn(
          { graphRequestId: details.requestId, code: details.code },
          'graph refused to add a team member',
        );
        return 'forbidden';
      }
      throw toDependencyError(error, 'add the member to the team');
    }
  }
}
