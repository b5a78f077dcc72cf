import assert from 'node:assert/strict';
import { DependencyError } from '../../src/errors';
import { GraphTeamDirectory } from '../../src/graph/graph-team-directory';
import { SANDBOX_CHANNELS, SANDBOX_TEAM, SANDBOX_USERS } from '../../src/sandbox/seed-tenant';
import {
  fixture,
  rejectionOf,
  startSandboxWithClient,
  type SandboxWithClient,
} from '../sandbox/sandbox-kit';

const CHANNELS_PATH = `/v1.0/teams/${SANDBOX_TEAM.id}/channels`;
const MEMBERS_PATH = `/v1.0/teams/${SANDBOX_TEAM.id}/members`;

describe('GraphTeamDirectory', () => {
  let kit: SandboxWithClient;
  let directory: GraphTeamDirectory;

  beforeEach(async () => {
    kit = await startSandboxWithClient();
    directory = new GraphTeamDirectory(kit.client);
  });

  afterEach(() => kit.sandbox.close());

  describe('createChannel()', () => {
    it('returns the new channel id and posts a standard channel', async () => {
      const channel = await directory.createChannel(
        SANDBOX_TEAM.id,
        'INC-7 Checkout down',
        'Sev 1',
      );

      const { method, path, body } = kit.sandbox.requests[0];
      assert.equal(channel.id, kit.sandbox.state.teams.get(SANDBOX_TEAM.id)?.channels.at(-1)?.id);
      assert.deepEqual(
        { method, path, body },
        {
          method: 'POST',
          path: CHANNELS_PATH,
          body: {
            displayName: 'INC-7 Checkout down',
            description: 'Sev 1',
            membershipType: 'standard',
          },
        },
      );
    });

    it('turns the 400 for an emoji name into a DependencyError with status 400', async () => {
      const error = await rejectionOf(
        directory.createChannel(SANDBOX_TEAM.id, 'Sales Rep 📪📮 Channel', ''),
      );

      assert.ok(error instanceof DependencyError);
      assert.deepEqual(
        { status: error.details.status, code: error.details.code },
        { status: 400, code: 'BadRequest' },
      );
    });

    it('keeps the request id of the recorded 400 for a reserved character', async () => {
      kit.sandbox.serveFixture(fixture('16-400-channel-displayname-emoji'), {
        path: CHANNELS_PATH,
      });

      const error = await rejectionOf(directory.createChannel(SANDBOX_TEAM.id, 'Q3: plan?', ''));

      assert.ok(error instanceof DependencyError);
      assert.deepEqual(error.details, {
        status: 400,
        code: 'BadRequest',
        requestId: 'b8bd8d0f-5ca0-491d-91ee-7541695de012',
      });
    });

    it('turns a 403 refusal into a DependencyError with status 403', async () => {
      kit.sandbox.failNext('POST', /\/channels$/, 403);

      const error = await rejectionOf(directory.createChannel(SANDBOX_TEAM.id, 'INC-8', ''));

      assert.ok(error instanceof DependencyError);
      assert.equal(error.details.status, 403);
    });

    it('succeeds after one retry when the recorded 429 comes first', async () => {
      kit.sandbox.serveFixture(fixture('11-429-throttled-retry-after'), {
        method: 'POST',
        path: CHANNELS_PATH,
      });

      const channel = await directory.createChannel(SANDBOX_TEAM.id, 'INC-9 Throttled', '');

      assert.match(channel.id, /^19:/);
      assert.deepEqual(
        kit.sandbox.requests.map((r) => r.status),
        [429, 201],
      );
    });

    it('rejects a created channel whose id is not a Teams channel id', async () => {
      kit.sandbox.failNext('POST', CHANNELS_PATH, 201, { id: 'not-a-channel' });

      const error = await rejectionOf(directory.createChannel(SANDBOX_TEAM.id, 'INC-10', ''));

      assert.ok(error instanceof DependencyError);
      assert.equal(error.details.code, 'UnexpectedResponse');
    });
  });

  describe('addTeamMember()', () => {
    it("reports 'added' and the user becomes a member", async () => {
      const outcome = await directory.addTeamMember(SANDBOX_TEAM.id, SANDBOX_USERS.morgan.id);

      assert.equal(outcome, 'added');
      assert.ok(kit.sandbox.state.teams.get(SANDBOX_TEAM.id)?.members.has(SANDBOX_USERS.morgan.id));
    });

    it('binds the user by its Graph URL', async () => {
      await directory.addTeamMember(SANDBOX_TEAM.id, SANDBOX_USERS.quinn.id);

      assert.deepEqual(kit.sandbox.requests.at(-1)?.body, {
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        roles: [],
        'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${SANDBOX_USERS.quinn.id}')`,
      });
    });

    it("reports 'already-member' when Graph answers 409", async () => {
      const outcome = await directory.addTeamMember(SANDBOX_TEAM.id, SANDBOX_USERS.avery.id);

      assert.equal(outcome, 'already-member');
      assert.equal(kit.sandbox.requests.at(-1)?.status, 409);
    });

    it("reports 'already-member' for a 400 whose code says so, whatever the message", async () => {
      kit.sandbox.failNext('POST', MEMBERS_PATH, 400, {
        error: { code: 'MemberAlreadyExists', message: 'Something unrelated.' },
      });

      const outcome = await directory.addTeamMember(SANDBOX_TEAM.id, SANDBOX_USERS.morgan.id);

      assert.equal(outcome, 'already-member');
    });

    it('treats another 400 as a failure even if its message mentions membership', async () => {
      kit.sandbox.failNext('POST', MEMBERS_PATH, 400, {
        error: { code: 'BadRequest', message: 'The member already exists.' },
      });

      const error = await rejectionOf(
        directory.addTeamMember(SANDBOX_TEAM.id, SANDBOX_USERS.morgan.id),
      );

      assert.ok(error instanceof DependencyError);
      assert.equal(error.details.status, 400);
    });

    it("reports 'forbidden' when Graph answers 403", async () => {
      kit.sandbox.failNext('POST', MEMBERS_PATH, 403);

      const outcome = await directory.addTeamMember(SANDBOX_TEAM.id, SANDBOX_USERS.morgan.id);

      assert.equal(outcome, 'forbidden');
      assert.equal(
        kit.sandbox.state.teams.get(SANDBOX_TEAM.id)?.members.has(SANDBOX_USERS.morgan.id),
        false,
      );
    });

    it('turns an unknown user into a DependencyError with status 404', async () => {
      const unknownUser = '00000000-0000-4000-8000-000000000999';

      const error = await rejectionOf(directory.addTeamMember(SANDBOX_TEAM.id, unknownUser));

      assert.ok(error instanceof DependencyError);
      assert.equal(error.details.status, 404);
    });
  });

  describe('getUser()', () => {
    it('returns the id and display name', async () => {
      const user = await directory.getUser(SANDBOX_USERS.riley.id);

      assert.deepEqual(user, { id: SANDBOX_USERS.riley.id, displayName: 'Riley Placeholder' });
      assert.equal(kit.sandbox.requests.at(-1)?.query, '?$select=id,displayName,userPrincipalName');
    });

    it('returns undefined for a user Graph does not know', async () => {
      kit.sandbox.serveFixture(fixture('14-404-request-resource-not-found'));

      const user = await directory.getUser('90ee1f54-c1ad-435f-82eb-b988d567b8ee');

      assert.equal(user, undefined);
      assert.equal(kit.sandbox.requests.at(-1)?.status, 404);
    });

    it('turns a 503 that outlasts the retries into a DependencyError', async () => {
      kit.sandbox.failAlways('GET', /\/users\//, 503);

      const error = await rejectionOf(directory.getUser(SANDBOX_USERS.riley.id));

      assert.ok(error instanceof DependencyError);
      assert.equal(error.details.status, 503);
    });
  });

  it('lists the seeded channels through the same client', async () => {
    const page = await kit.client.api(`/teams/${SANDBOX_TEAM.id}/channels`).get();

    assert.deepEqual(
      page.value.map((c: { id: string }) => c.id),
      Object.values(SANDBOX_CHANNELS).map((c) => c.id),
    );
  });
});
