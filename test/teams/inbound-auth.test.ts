import assert from 'node:assert/strict';
import { AppCredentials } from 'botframework-connector';
import pino from 'pino';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { BotHarness, loadTeamsFixture } from '../support/bot-harness';
import { FakeConnector } from '../support/fake-connector';
import { TokenIssuer, type MintOptions } from '../support/token-issuer';

const APP_ID = '5f0c7a3e-1b2d-4c8e-9a6f-3d2e1c0b9a87';
const APP_TENANT_ID = '9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4';
const OTHER_APP_ID = 'a1b2c3d4-0000-4000-8000-000000000000';
const FOREIGN_TENANT = '0badc0de-0000-4000-8000-00000000f00d';
const MESSAGE_FIXTURE = '01-channel-mention-no-space-mention-name-differs.json';
const FIXTURE_TENANT: string = loadTeamsFixture(MESSAGE_FIXTURE).channelData.tenant.id;
/**
 * The SDK's process-wide cache of outbound (bot → connector) tokens, private in its typings, and
 * this app's key in it (app id + OAuth scope).
 */
const outboundTokens = (
  AppCredentials as unknown as { cache: Map<string, { accessToken: string; expiresOn: Date }> }
).cache;
const OUTBOUND_TOKEN_KEY = `${APP_ID}https://api.botframework.com-cache`;

let counter = 0;

/** Fixture T01 with `text` after the bot mention, a fresh id, and the tenant moved if asked. */
function mention(text: string, tenantId = FIXTURE_TENANT): Record<string, any> {
  const base = loadTeamsFixture(MESSAGE_FIXTURE);
  counter += 1;
  return {
    ...base,
    id: `auth-${Date.now()}-${counter}`,
    text: `<at>Incident Commander</at> ${text}`,
    attachments: [],
    conversation: { ...base.conversation, tenantId },
    channelData: { ...base.channelData, tenant: { id: tenantId } },
  };
}

function allIncidents(app: RunningApp, tenantId: string) {
  return app.store.listIncidents(tenantId, { openOnly: false, limit: 10 });
}

/** The SDK console.errors every refused token; keep the test output readable. */
async function withoutSdkNoise<T>(work: () => Promise<T>): Promise<T> {
  const original = console.error;
  console.error = () => {};
  try {
    return await work();
  } finally {
    console.error = original;
  }
}

describe('inbound authentication with BOT_AUTH enabled', () => {
  let issuer: TokenIssuer;
  let connector: FakeConnector;
  let app: RunningApp;
  /** The app's log lines at warn and above, parsed. */
  const logLines: Array<Record<string, unknown> & { raw: string }> = [];

  before(async () => {
    issuer = await TokenIssuer.start();
    connector = await new FakeConnector().start();
    // Replies need an outbound token from Entra ID; hand the adapter one so it stays offline.
    outboundTokens.set(OUTBOUND_TOKEN_KEY, {
      accessToken: 'test-outbound-token',
      expiresOn: new Date(Date.now() + 60 * 60 * 1000),
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      BOT_AUTH: 'enabled',
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'x',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: APP_TENANT_ID,
      BOT_OPENID_METADATA_URL: issuer.metadataUrl,
      DATABASE_URL: 'sqlite::memory:',
      GRAPH_AUTH: 'none',
      GRAPH_BASE_URL: 'http://127.0.0.1:9/v1.0',
      ALLOWED_TENANT_IDS: FIXTURE_TENANT,
      LOG_LEVEL: 'silent',
    });
    const logger = pino(
      { level: 'warn' },
      { write: (raw: string) => logLines.push({ ...JSON.parse(raw), raw }) },
    );
    app = await startApp(config, logger);
  });

  after(async () => {
    outboundTokens.delete(OUTBOUND_TOKEN_KEY);
    await app?.stop();
    await connector?.stop();
    await issuer?.stop();
  });

  beforeEach(() => {
    connector.calls.length = 0;
    logLines.length = 0;
  });

  /** POSTs the activity, from the fake connector's serviceUrl, with the given headers. */
  async function post(activity: Record<string, any>, headers: Record<string, string>) {
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ ...activity, serviceUrl: connector.url }),
    });
    await response.text();
    return response.status;
  }

  async function bearer(options: Partial<MintOptions> = {}) {
    const token = await issuer.mint({ appId: APP_ID, serviceUrl: connector.url, ...options });
    return { authorization: `Bearer ${token}` };
  }

  it('runs the bot, which replies, for a token signed by the channel key', async () => {
    const status = await post(mention('list'), await bearer());

    assert.equal(status, 200);
    assert.equal(connector.sent().length, 1);
  });

  describe('refusing a request', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const refusals: {
      what: string;
      status: number;
      headers: () => Promise<Record<string, string>>;
    }[] = [
      {
        what: 'to a request without an Authorization header',
        status: 401,
        headers: async () => ({}),
      },
      {
        what: 'to a token that is not a JWT',
        status: 401,
        headers: async () => ({ authorization: 'Bearer not.a.jwt' }),
      },
      {
        what: 'to a token under a kid the issuer never published',
        status: 401,
        headers: () => bearer({ kid: 'no-such-key' }),
      },
      {
        what: 'to a token for another app (aud)',
        status: 401,
        headers: () => bearer({ claims: { aud: OTHER_APP_ID } }),
      },
      {
        what: 'to a token from another issuer',
        status: 401,
        headers: () => bearer({ claims: { iss: `https://sts.windows.net/${APP_TENANT_ID}/` } }),
      },
      {
        what: 'to a token expired beyond the 5 minute clock skew',
        status: 401,
        headers: () => bearer({ claims: { nbf: now() - 60 * 60, exp: now() - 6 * 60 } }),
      },
      {
        what: 'to a token whose serviceurl is not the activity’s serviceUrl',
        status: 401,
        headers: () => bearer({ claims: { serviceurl: 'https://smba.trafficmanager.net/amer/' } }),
      },
      {
        what: 'to a token signed by a published key not endorsed for msteams',
        status: 401,
        headers: () => bearer({ signWith: 'unendorsed' }),
      },
      {
        what: 'to a token signed by a rogue key under the channel key’s kid',
        status: 401,
        headers: () => bearer({ signWith: 'rogue' }),
      },
      {
        what: 'to an unsigned token (alg none) under the channel key’s kid',
        status: 401,
        headers: () => bearer({ signWith: 'none' }),
      },
    ];

    for (const refusal of refusals) {
      it(`answers ${refusal.status} ${refusal.what} and does not run the bot`, async () => {
        const headers = await refusal.headers();
        const status = await withoutSdkNoise(() => post(mention('declare Forged outage'), headers));

        assert.ok(status >= 400, `status ${status} let the request through`);
        assert.equal(status, refusal.status);
        assert.deepEqual(connector.calls, []);
        assert.deepEqual(await allIncidents(app, FIXTURE_TENANT), []);
      });
    }

    it('logs a forged token as one warning with a constant message and without the token', async () => {
      const headers = await bearer({ signWith: 'rogue' });
      const token = headers.authorization.replace('Bearer ', '');

      await withoutSdkNoise(() => post(mention('declare Forged outage'), headers));

      assert.deepEqual(
        logLines.map((line) => [line.level, line.msg, line.status]),
        [[40, 'inbound request refused: token not valid', 401]],
      );
      assert.ok(!logLines.some((line) => line.raw.includes(token.split('.')[2])));
    });
  });
});

describe('the tenant gate', () => {
  let harness: BotHarness;

  before(async () => {
    harness = await BotHarness.start({ env: { ALLOWED_TENANT_IDS: FIXTURE_TENANT } });
  });

  after(async () => {
    await harness?.stop();
  });

  beforeEach(() => {
    harness.connector.calls.length = 0;
  });

  it('declares an incident for an allowed tenant (the control for the tests below)', async () => {
    const { status } = await harness.send(mention('declare Allowed tenant outage'));

    assert.equal(status, 200);
    assert.equal((await allIncidents(harness.app, FIXTURE_TENANT)).length, 1);
  });

  it('stores nothing and answers nothing for a tenant not in ALLOWED_TENANT_IDS', async () => {
    const { status } = await harness.send(mention('declare Foreign outage', FOREIGN_TENANT));

    assert.equal(status, 200);
    assert.deepEqual(harness.connector.calls, []);
    assert.deepEqual(await allIncidents(harness.app, FOREIGN_TENANT), []);
  });

  it('stores nothing and answers nothing for an activity without any tenant', async () => {
    const tenantless = loadTeamsFixture('12-channel-reply-mention-entity-text-mismatch.json');
    const { status } = await harness.send({ ...tenantless, text: 'declare Tenantless outage' });

    assert.equal(status, 200);
    assert.deepEqual(harness.connector.calls, []);
    assert.deepEqual(await allIncidents(harness.app, ''), []);
  });

  it('answers 403 to a card action invoke from a foreign tenant', async () => {
    const press = loadTeamsFixture('27-adaptivecard-action-execute-manual.json');
    const { status } = await harness.send({
      ...press,
      conversation: { ...press.conversation, tenantId: FOREIGN_TENANT },
      channelData: { ...press.channelData, tenant: { id: FOREIGN_TENANT } },
    });

    assert.equal(status, 403);
    assert.deepEqual(harness.connector.calls, []);
  });
});

describe('loadConfig and bot authentication', () => {
  const production = {
    NODE_ENV: 'production',
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'x',
    MicrosoftAppTenantId: APP_TENANT_ID,
    ALLOWED_TENANT_IDS: FIXTURE_TENANT,
  };

  it('refuses BOT_AUTH=disabled in production', () => {
    assert.throws(
      () => loadConfig({ ...production, BOT_AUTH: 'disabled' }),
      /BOT_AUTH: cannot be disabled in production/,
    );
    assert.equal(loadConfig({ ...production, BOT_AUTH: 'enabled' }).BOT_AUTH, 'enabled');
  });

  it('refuses BOT_AUTH enabled with an empty MicrosoftAppId (which turns validation off)', () => {
    assert.throws(
      () =>
        loadConfig({ ...production, NODE_ENV: 'test', BOT_AUTH: 'enabled', MicrosoftAppId: '' }),
      /MicrosoftAppId: is required while BOT_AUTH is enabled/,
    );
    assert.throws(() => loadConfig({ ...production, MicrosoftAppId: '' }), /MicrosoftAppId/);
  });
});
