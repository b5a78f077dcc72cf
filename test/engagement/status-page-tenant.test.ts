import assert from 'node:assert/strict';
import pino from 'pino';
import { loadConfig, statusPageUrlFor } from '../../src/config';
import { feedIdOf } from '../../src/status-page/status-routes';
import type { BotHarness } from '../support/bot-harness';
import { declare, OTHER_TENANT, postUpdate, startBot, TENANT } from './engagement-kit';

const PATHS = ['/status', '/status.json', '/status.atom'];

async function statusOf(bot: BotHarness, path: string): Promise<number> {
  const response = await fetch(`${bot.app.url}${path}`);
  await response.arrayBuffer();
  return response.status;
}

describe('the status page with several tenants and no STATUS_PAGE_TENANT_ID', () => {
  const warnings: Array<Record<string, unknown>> = [];
  let bot: BotHarness;

  before(async () => {
    const logger = pino(
      { level: 'warn' },
      { write: (raw: string) => warnings.push(JSON.parse(raw)) },
    );
    bot = await startBot({ logger });
    const incident = await declare(bot, 'Exchange Online mail delays', 2);
    await postUpdate(bot, incident.id, { summary: 'Mail is delayed.' });
  });

  after(async () => {
    await bot.stop();
  });

  it('answers 404 on /status, /status.json and /status.atom', async () => {
    const statuses = await Promise.all(PATHS.map((path) => statusOf(bot, path)));

    assert.deepEqual(statuses, [404, 404, 404]);
  });

  it('says so once at start, naming the setting', () => {
    const said = warnings.filter((line) => line.setting === 'STATUS_PAGE_TENANT_ID');

    assert.equal(said.length, 1);
    assert.match(String(said[0].msg), /status page off/);
  });
});

describe('the status page of a single tenant', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await startBot({ env: { ALLOWED_TENANT_IDS: TENANT } });
    const incident = await declare(bot, 'Exchange Online mail delays', 2);
    await postUpdate(bot, incident.id, { summary: 'Mail is delayed.' });
  });

  after(async () => {
    await bot.stop();
  });

  it('shows that tenant without STATUS_PAGE_TENANT_ID', async () => {
    const response = await fetch(`${bot.app.url}/status.json`);
    const { incidents } = await response.json();

    assert.equal(response.status, 200);
    assert.deepEqual(
      incidents.map((incident: { title: string }) => incident.title),
      ['Exchange Online mail delays'],
    );
  });

  it('names its Atom feed after the tenant, as a page chosen among several tenants does', async () => {
    const feed = await (await fetch(`${bot.app.url}/status.atom`)).text();

    assert.ok(feed.includes(`<id>${feedIdOf(TENANT)}</id>`));
  });
});

describe('STATUS_PAGE_TENANT_ID', () => {
  const base = { BOT_AUTH: 'disabled', ALLOWED_TENANT_IDS: `${TENANT},${OTHER_TENANT}` };

  it('refuses a tenant outside ALLOWED_TENANT_IDS, naming the setting', () => {
    assert.throws(
      () => loadConfig({ ...base, STATUS_PAGE_TENANT_ID: '00000000-0000-4000-8000-00000000dead' }),
      /STATUS_PAGE_TENANT_ID: must be one of ALLOWED_TENANT_IDS/,
    );
  });

  it('takes an allowed tenant written in capitals, as the tenant gate does', () => {
    const config = loadConfig({ ...base, STATUS_PAGE_TENANT_ID: OTHER_TENANT.toUpperCase() });

    assert.equal(config.STATUS_PAGE_TENANT_ID, OTHER_TENANT);
  });

  it("puts STATUS_PAGE_URL on the page's tenant's cards only", () => {
    const config = loadConfig({
      ...base,
      STATUS_PAGE_TENANT_ID: TENANT,
      STATUS_PAGE_URL: 'https://status.example.org/status',
    });

    assert.equal(statusPageUrlFor(config, TENANT), 'https://status.example.org/status');
    assert.equal(statusPageUrlFor(config, OTHER_TENANT), undefined);
  });

  it('puts it on no card when several tenants are allowed and none is chosen', () => {
    const config = loadConfig({ ...base, STATUS_PAGE_URL: 'https://status.example.org/status' });

    assert.equal(statusPageUrlFor(config, TENANT), undefined);
  });
});
