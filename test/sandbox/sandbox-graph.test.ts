import assert from 'node:assert/strict';
import type { GraphError } from '@microsoft/microsoft-graph-client';
import { createGraphClient } from '../../src/graph/graph-client';
import { INVALID_CHARACTERS_MESSAGE } from '../../src/sandbox/channel-name-rules';
import {
  SANDBOX_CHANNELS,
  SANDBOX_GROUPS,
  SANDBOX_TEAM,
  SANDBOX_TENANT_ID,
  SANDBOX_USERS,
} from '../../src/sandbox/seed-tenant';
import {
  fixture,
  rejectionOf,
  silentLogger,
  startSandboxWithClient,
  type SandboxWithClient,
} from './sandbox-kit';

const TEAM = `/teams/${SANDBOX_TEAM.id}`;

interface GraphErrorBody {
  code: string;
  message: string;
  innerError: Record<string, string>;
}

/** The Graph error the real client raised, with its body parsed back. */
async function graphFailure(call: Promise<unknown>) {
  const error = (await rejectionOf(call)) as GraphError;
  return { status: error.statusCode, body: JSON.parse(error.body) as GraphErrorBody };
}

describe('sandbox Graph', () => {
  let kit: SandboxWithClient;

  beforeEach(async () => {
    kit = await startSandboxWithClient();
  });

  afterEach(() => kit.sandbox.close());

  describe('POST /teams/{id}/channels', () => {
    it('creates a channel that then shows in the channel list', async () => {
      const created = await kit.client.api(`${TEAM}/channels`).post({ displayName: 'INC-1' });
      const page = await kit.client.api(`${TEAM}/channels`).get();

      assert.equal(page.value.length, Object.keys(SANDBOX_CHANNELS).length + 1);
      assert.equal(page.value.at(-1).id, created.id);
    });

    it('answers with a Teams web link naming the team and tenant', async () => {
      const created = await kit.client.api(`${TEAM}/channels`).post({ displayName: 'INC 2' });

      assert.match(created.webUrl, /^https:\/\/teams\.microsoft\.com\/l\/channel\/19%3A/);
      assert.ok(
        created.webUrl.endsWith(`groupId=${SANDBOX_TEAM.id}&tenantId=${SANDBOX_TENANT_ID}`),
      );
    });

    it('refuses an emoji name with the body Graph recorded for it', async () => {
      const recorded = fixture('16-400-channel-displayname-emoji').body as {
        error: GraphErrorBody;
      };

      const failure = await graphFailure(
        kit.client.api(`${TEAM}/channels`).post({ displayName: 'Sales Rep 📪📮 Channel' }),
      );

      assert.equal(failure.status, 400);
      assert.deepEqual(
        { code: failure.body.code, message: failure.body.message },
        { code: recorded.error.code, message: INVALID_CHARACTERS_MESSAGE },
      );
    });

    it('refuses a name already used in the team, ignoring case', async () => {
      const failure = await graphFailure(
        kit.client.api(`${TEAM}/channels`).post({ displayName: 'incidents' }),
      );

      assert.equal(failure.status, 400);
      assert.equal(failure.body.code, 'NameAlreadyExists');
    });

    it('answers 404 for a team it does not know', async () => {
      const failure = await graphFailure(
        kit.client.api('/teams/00000000-0000-4000-8000-00000000dead/channels').post({
          displayName: 'INC-3',
        }),
      );

      assert.equal(failure.status, 404);
      assert.equal(failure.body.code, 'NotFound');
    });
  });

  describe('users', () => {
    it('finds a user by id and by user principal name', async () => {
      const byId = await kit.client.api(`/users/${SANDBOX_USERS.casey.id}`).get();
      const byUpn = await kit.client.api('/users/casey.demo@contoso.example').get();

      assert.equal(byId.displayName, 'Casey Demo');
      assert.equal(byUpn.id, SANDBOX_USERS.casey.id);
    });

    it('answers 404 Request_ResourceNotFound for an unknown user', async () => {
      const failure = await graphFailure(kit.client.api('/users/nobody@contoso.example').get());

      assert.equal(failure.status, 404);
      assert.equal(failure.body.code, 'Request_ResourceNotFound');
    });

    it('lists which of the asked groups a user belongs to, the team group included', async () => {
      const asked = [SANDBOX_GROUPS.securityResponders.id, SANDBOX_TEAM.id];

      const forMorgan = await kit.client
        .api(`/users/${SANDBOX_USERS.morgan.id}/checkMemberGroups`)
        .post({ groupIds: asked });
      const forRiley = await kit.client
        .api(`/users/${SANDBOX_USERS.riley.id}/checkMemberGroups`)
        .post({ groupIds: asked });

      assert.deepEqual(forMorgan.value, [SANDBOX_GROUPS.securityResponders.id]);
      assert.deepEqual(forRiley.value, [SANDBOX_TEAM.id]);
    });

    it('refuses a group check of more than 20 ids', async () => {
      const groupIds = Array.from({ length: 21 }, (_, i) => `group-${i}`);

      const failure = await graphFailure(
        kit.client.api(`/users/${SANDBOX_USERS.avery.id}/checkMemberGroups`).post({ groupIds }),
      );

      assert.equal(failure.status, 400);
    });
  });

  describe('faults and fixtures', () => {
    it('fails only the next matching request with failNext', async () => {
      kit.sandbox.failNext('GET', /\/users\//, 403);

      const failure = await graphFailure(kit.client.api(`/users/${SANDBOX_USERS.avery.id}`).get());
      const user = await kit.client.api(`/users/${SANDBOX_USERS.avery.id}`).get();

      assert.equal(failure.status, 403);
      assert.equal(user.id, SANDBOX_USERS.avery.id);
    });

    it('keeps failing with failAlways until the faults are cleared', async () => {
      kit.sandbox.failAlways('POST', /\/members$/, 403);
      const body = {
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        roles: [],
        'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${SANDBOX_USERS.quinn.id}')`,
      };

      const statuses = [];
      for (let i = 0; i < 2; i++) {
        statuses.push((await graphFailure(kit.client.api(`${TEAM}/members`).post(body))).status);
      }
      kit.sandbox.clearFaults();
      const added = await kit.client.api(`${TEAM}/members`).post(body);

      assert.deepEqual(statuses, [403, 403]);
      assert.equal(added.userId, SANDBOX_USERS.quinn.id);
    });

    it('holds a matching request unanswered until released, then answers it normally', async () => {
      const held = kit.sandbox.hold('PATCH', `/v1.0/users/${SANDBOX_USERS.quinn.id}`);
      let answered = false;
      const patch = kit.client
        .api(`/users/${SANDBOX_USERS.quinn.id}`)
        .patch({ accountEnabled: false })
        .then(() => (answered = true));

      await held.arrived();
      const whileHeld = { answered, waiting: held.waiting };
      held.release();
      await patch;

      assert.deepEqual(whileHeld, { answered: false, waiting: 1 });
      assert.equal(kit.sandbox.requests.at(-1)?.status, 204);
    });

    it('serves a fixture for its path whatever the host and query order', async () => {
      kit.sandbox.serveFixture({
        ...fixture('01-healthoverviews-expand-issues'),
        request: {
          method: 'GET',
          url: 'https://graph.microsoft.com/v1.0/admin/serviceAnnouncement/healthOverviews?$top=5&$expand=issues',
        },
      });

      const page = await kit.client
        .api('/admin/serviceAnnouncement/healthOverviews?$expand=issues&$top=5')
        .get();

      assert.equal(page.value[0].id, 'Exchange');
    });

    it('serves the recorded headers of a fixture unchanged', async () => {
      kit.sandbox.serveFixture(fixture('11-429-throttled-retry-after'));
      const client = createGraphClient({
        baseUrl: kit.sandbox.url,
        auth: 'none',
        logger: silentLogger,
        retry: { maxRetries: 0 },
      });

      const error = (await rejectionOf(
        client.api('/identityProtection/riskDetections').get(),
      )) as GraphError;

      assert.equal(error.statusCode, 429);
      assert.deepEqual(
        [error.headers?.get('retry-after'), error.headers?.get('request-id')],
        ['1', '9c48cd67-537d-47a8-b26b-89cc28ff108e'],
      );
    });

    it('records each request with method, path and parsed body', async () => {
      await kit.client.api(`${TEAM}/channels`).post({ displayName: 'INC-4', description: 'd' });

      assert.equal(kit.sandbox.requests.length, 1);
      assert.deepEqual(
        { ...kit.sandbox.requests[0], headers: undefined },
        {
          method: 'POST',
          path: `/v1.0${TEAM}/channels`,
          query: '',
          headers: undefined,
          body: { displayName: 'INC-4', description: 'd' },
          status: 201,
        },
      );
    });
  });
});
