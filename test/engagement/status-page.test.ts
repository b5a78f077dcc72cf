import assert from 'node:assert/strict';
import { feedIdOf } from '../../src/status-page/status-routes';
import { BotHarness, channelCommand } from '../support/bot-harness';
import {
  declare,
  OTHER_TENANT,
  postUpdate,
  RESPONDER_NAME,
  startBot,
  TENANT,
  TestClock,
} from './engagement-kit';

const TIMELINE_NOTE = 'Root cause: expired certificate on relay eu-07';
const INTERNAL_NOTE = 'Do not share: vendor ticket 55-1234 and the CISO bridge';
const SUMMARY = 'Mail to external recipients is delayed by up to an hour.';
const HOSTILE = '<script>alert("x")</script> & <b>bold</b>';
const OTHER_TITLE = 'Fabrikam payroll export fails';
const OTHER_SUMMARY = 'Payroll exports for Fabrikam stop at the approval step.';

async function get(bot: BotHarness, path: string) {
  const response = await fetch(`${bot.app.url}${path}`);
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

describe('the public status page', () => {
  const clock = new TestClock();
  let bot: BotHarness;

  before(async () => {
    // The harness allows several tenants; the page is the first one's.
    bot = await startBot({
      clock: clock.read,
      env: { STATUS_PAGE_TITLE: 'Contoso service status', STATUS_PAGE_TENANT_ID: TENANT },
    });
    const incident = await declare(bot, 'Exchange Online mail delays', 2);
    await bot.send(channelCommand(`INC-${incident.number} note ${TIMELINE_NOTE}`));
    clock.advanceMinutes(5);
    await postUpdate(bot, incident.id, {
      summary: SUMMARY,
      affected: 'Exchange Online',
      workaround: HOSTILE,
      internalNote: INTERNAL_NOTE,
    });
    await declare(bot, 'Unpublished VPN trouble', 3);
    const other = await declare(bot, OTHER_TITLE, 1, OTHER_TENANT);
    await postUpdate(bot, other.id, { summary: OTHER_SUMMARY }, OTHER_TENANT);
  });

  after(async () => {
    await bot.stop();
  });

  it('lists an incident with its stakeholder update as HTML', async () => {
    const page = await get(bot, '/status');

    assert.match(page.type, /^text\/html/);
    assert.ok(page.body.includes('Exchange Online mail delays') && page.body.includes(SUMMARY));
  });

  it('escapes user text for HTML', async () => {
    const page = await get(bot, '/status');

    assert.ok(
      page.body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;'),
    );
    assert.ok(!page.body.includes('<script>') && !page.body.includes('<b>bold'));
  });

  it('has the note and the internal note stored, so their absence below means something', async () => {
    const [incident] = JSON.parse((await get(bot, '/status.json')).body).incidents;
    const stored = await bot.app.store.getIncidentByNumber(
      TENANT,
      Number(incident.number.slice(4)),
    );
    const timeline = await bot.app.store.listTimeline(stored!.id, { offset: 0, limit: 50 });
    const update = await bot.app.store.database
      .selectFrom('comms_updates')
      .select('internal_note')
      .where('incident_id', '=', stored!.id)
      .executeTakeFirstOrThrow();

    assert.ok(timeline.some((entry) => entry.text.includes(TIMELINE_NOTE)));
    assert.equal(update.internal_note, INTERNAL_NOTE);
  });

  it('never shows a note, the internal note or a responder on any of its forms', async () => {
    for (const path of ['/status', '/status.json', '/status.atom']) {
      const { body } = await get(bot, path);
      for (const secret of [TIMELINE_NOTE, INTERNAL_NOTE, RESPONDER_NAME]) {
        assert.ok(!body.includes(secret), `${path} shows "${secret}"`);
      }
    }
  });

  it("never shows another allowed tenant's published incident on any of its forms", async () => {
    const [other] = await bot.app.store.listIncidents(OTHER_TENANT, { openOnly: false, limit: 1 });
    const published = await bot.app.store.database
      .selectFrom('comms_updates')
      .select('summary')
      .where('incident_id', '=', other.id)
      .execute();

    assert.deepEqual(published, [{ summary: OTHER_SUMMARY }]);
    for (const path of ['/status', '/status.json', '/status.atom']) {
      const { body } = await get(bot, path);
      assert.ok(!body.includes(OTHER_TITLE) && !body.includes(OTHER_SUMMARY), `${path} shows it`);
    }
  });

  it('leaves out an incident that has no stakeholder update yet', async () => {
    const { body } = await get(bot, '/status.json');

    assert.ok(!body.includes('Unpublished VPN trouble'));
    assert.equal(JSON.parse(body).incidents.length, 1);
  });

  it('gives the same incident and update as JSON, stakeholder fields only', async () => {
    const { body } = await get(bot, '/status.json');
    const [incident] = JSON.parse(body).incidents;

    assert.deepEqual(Object.keys(incident).sort(), [
      'number',
      'resolved',
      'severity',
      'status',
      'statusLabel',
      'title',
      'updatedAt',
      'updates',
    ]);
    assert.equal(incident.updates[0].summary, SUMMARY);
  });

  it('gives an Atom feed with an entry per update', async () => {
    const feed = await get(bot, '/status.atom');

    assert.match(feed.type, /^application\/atom\+xml/);
    assert.match(
      feed.body,
      /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">\s*<id>urn:uuid:[0-9a-f-]{36}<\/id>[\s\S]*<entry>\s*<id>urn:uuid:[0-9a-f-]{36}<\/id>/,
    );
  });

  it("names the Atom feed after the page's tenant, so adding tenants keeps the feed", async () => {
    const feed = await get(bot, '/status.atom');

    assert.ok(feed.body.includes(`<id>${feedIdOf(TENANT)}</id>`));
  });

  it('keeps a resolved incident for the configured days, then drops it', async () => {
    const [incident] = JSON.parse((await get(bot, '/status.json')).body).incidents;
    await bot.send(channelCommand(`${incident.number} status resolved`));
    clock.advanceMinutes(6 * 24 * 60);
    const kept = JSON.parse((await get(bot, '/status.json')).body).incidents;

    clock.advanceMinutes(2 * 24 * 60);
    const dropped = JSON.parse((await get(bot, '/status.json')).body).incidents;

    assert.equal(kept[0]?.resolved, true);
    assert.equal(dropped.length, 0);
  });
});

/** One incident's article on the HTML page, found by its anchor (`inc-0001`). */
function articleOf(html: string, number: string): string {
  const start = html.indexOf(`<article id="inc-${number}"`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</article>', start));
}

/** The Atom entries whose title starts with the incident's number, newest first. */
function entriesOf(atom: string, number: string): string[] {
  return [...atom.matchAll(/<entry>[\s\S]*?<\/entry>/g)]
    .map((match) => match[0])
    .filter((entry) => entry.includes(`<title type="text">INC-${number} `));
}

describe('the status page of resolved incidents', () => {
  const clock = new TestClock();
  let bot: BotHarness;

  before(async () => {
    bot = await startBot({ clock: clock.read, env: { STATUS_PAGE_TENANT_ID: TENANT } });
    // INC-0001: an update that promises the next one, then `status resolved` without a final one.
    const resolved = await declare(bot, 'Exchange Online mail delays', 2);
    await postUpdate(bot, resolved.id, { summary: 'Mail is delayed; we are rerouting.' });
    // INC-0002: resolved by its final update, which already says so.
    clock.advanceMinutes(1);
    const finished = await declare(bot, 'SharePoint search stale', 3);
    await postUpdate(bot, finished.id, { summary: 'Search is current again.', status: 'resolved' });
    // INC-0003: still open, its promise standing.
    clock.advanceMinutes(1);
    const open = await declare(bot, 'Teams calls dropping', 1);
    await postUpdate(bot, open.id, { summary: 'Calls drop after five minutes.' });
    clock.advanceMinutes(10);
    await bot.send(channelCommand('INC-1 status resolved'));
  });

  after(async () => {
    await bot.stop();
  });

  it('shows the incident as resolved on the HTML page, with no next update promised', async () => {
    const article = articleOf((await get(bot, '/status')).body, '0001');

    assert.match(article, /Resolved after update 1; no further updates are planned\./);
    assert.doesNotMatch(article, /Next update by/);
  });

  it('still promises the next update of an open incident on the HTML page', async () => {
    const article = articleOf((await get(bot, '/status')).body, '0003');

    assert.match(article, /Next update by/);
    assert.doesNotMatch(article, /no further updates/);
  });

  it("gives the incident's own status in JSON and drops the next update of a resolved one", async () => {
    const { incidents } = JSON.parse((await get(bot, '/status.json')).body);
    const resolved = incidents.find((incident: any) => incident.number === 'INC-0001');
    const open = incidents.find((incident: any) => incident.number === 'INC-0003');

    assert.deepEqual([resolved.statusLabel, resolved.updates[0].nextUpdateAt], ['Resolved', null]);
    assert.ok(open.updates[0].nextUpdateAt);
  });

  it('tells feed readers the incident was resolved, in its newest entry, with no promise', async () => {
    const entries = entriesOf((await get(bot, '/status.atom')).body, '0001');

    assert.match(entries[0], /<title type="text">INC-0001 Exchange Online mail delays: Resolved</);
    assert.ok(entries.every((entry) => !entry.includes('Next update by')));
  });

  it('adds no resolution entry when the final update already said resolved', async () => {
    const entries = entriesOf((await get(bot, '/status.atom')).body, '0002');

    assert.equal(entries.length, 1);
    assert.match(entries[0], /update 1 \(Resolved\)/);
  });
});

describe('the status page switched off', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await startBot({ env: { STATUS_PAGE: 'off' } });
  });

  after(async () => {
    await bot.stop();
  });

  it('answers 404 on /status, /status.json and /status.atom', async () => {
    const statuses = await Promise.all(
      ['/status', '/status.json', '/status.atom'].map(
        async (path) => (await get(bot, path)).status,
      ),
    );

    assert.deepEqual(statuses, [404, 404, 404]);
  });
});
