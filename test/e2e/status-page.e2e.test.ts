import assert from 'node:assert/strict';
import { join } from 'node:path';
import { channelCommand, type BotHarness } from '../support/bot-harness';
import {
  declare,
  postUpdate,
  RESPONDER_NAME,
  startBot,
  TENANT,
} from '../engagement/engagement-kit';
import { launchBrowser, REPO_ROOT, screenshot, type BrowserHandle } from './playground-driver';

const NOTE = 'Internal: the relay certificate expired because renewal was paused';
const INTERNAL_NOTE = 'Vendor escalation ticket 77-991, do not share';
const SUMMARY = 'Some people cannot join Teams meetings from the desktop app.';

describe('the public status page in Chromium', () => {
  let bot: BotHarness;
  let browser: BrowserHandle;

  before(async () => {
    // The harness allows several tenants: without a choice there would be no page.
    bot = await startBot({
      env: { STATUS_PAGE_TITLE: 'Contoso service status', STATUS_PAGE_TENANT_ID: TENANT },
    });
    const incident = await declare(bot, 'Teams meetings fail to start', 1);
    await bot.send(channelCommand(`INC-${incident.number} note ${NOTE}`));
    await postUpdate(bot, incident.id, {
      summary: SUMMARY,
      affected: 'Teams desktop app, Windows',
      workaround: 'Join from the browser at teams.microsoft.com.',
      internalNote: INTERNAL_NOTE,
      status: 'identified',
    });
    browser = await launchBrowser({ viewport: { width: 1000, height: 800 } });
  });

  after(async () => {
    await browser?.close();
    await bot?.stop();
  });

  it('renders the page with the incident and its update, and nothing from a note', async () => {
    await browser.page.goto(`${bot.app.url}/status`);
    await browser.page.getByText(SUMMARY).waitFor();
    await screenshot(browser.page, join(REPO_ROOT, 'test-results', 'status-page.png'));

    const text = await browser.page.locator('body').innerText();
    assert.ok(text.includes('Teams meetings fail to start') && text.includes('Identified'));
    for (const secret of [NOTE, INTERNAL_NOTE, RESPONDER_NAME]) {
      assert.ok(!text.includes(secret), `the page shows "${secret}"`);
    }
  });

  it('serves an Atom feed that a browser parses, with one entry for the update', async () => {
    // The page's own policy forbids fetch, so the feed is read outside and parsed by Chromium.
    const xml = await (await browser.page.request.get(`${bot.app.url}/status.atom`)).text();
    const feed = await browser.page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'application/xml');
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        entries: doc.getElementsByTagName('entry').length,
        title: doc.querySelector('entry > title')?.textContent ?? '',
      };
    }, xml);

    assert.equal(feed.errors, 0);
    assert.deepEqual(
      [feed.entries, feed.title.includes('Teams meetings fail to start')],
      [1, true],
    );
  });
});
