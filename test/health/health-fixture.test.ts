import assert from 'node:assert/strict';
import { BotHarness, channelCommand } from '../support/bot-harness';
import { walk } from '../cards/card-rules';
import { fixture } from '../sandbox/sandbox-kit';
import { answerTo, cardFor } from './health-kit';

const OVERVIEWS = '/v1.0/admin/serviceAnnouncement/healthOverviews';
/** The day after the recorded issue ended. */
const NEXT_DAY = new Date('2020-11-21T09:00:00Z');
const LONG_TITLE =
  'Admins are unable to migrate some user mailboxes from IMAP using the Exchange admin center or PowerShell';

/** G01: Exchange Online reported operational while its expanded issue is restored and resolved. */
describe('the health command on the recorded answer (G01)', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start({ clock: () => NEXT_DAY });
  });

  after(() => bot.stop());

  beforeEach(() => {
    bot.graph.serveFixture(fixture('01-healthoverviews-expand-issues'));
  });

  afterEach(() => bot.graph.clearFaults());

  it('shows Exchange Online as healthy, not as an outage', async () => {
    const text = await answerTo(bot, channelCommand('health'));

    assert.match(text, /0 services need attention · 1 operational/);
    assert.match(
      text,
      /Every Microsoft 365 service reports healthy\.\nOperational: \nExchange Online\n/,
    );
  });

  it('notes the resolved issue under the healthy services', async () => {
    const text = await answerTo(bot, channelCommand('health'));

    assert.match(
      text,
      /Resolved in the last 7 days\nExchange Online: EX226574, resolved 20 Nov 2020, 17:00: Admins are unable/,
    );
  });

  it('keeps the title over 100 characters whole, in text that wraps', async () => {
    const card = await cardFor(bot, channelCommand('health Exchange Online'));
    const holders: string[] = [];
    walk(card, (node) => {
      const inlines = (node.inlines ?? []) as Array<{ text?: string }>;
      if (inlines.some((inline) => inline.text === LONG_TITLE)) holders.push(String(node.type));
    });

    assert.equal(LONG_TITLE.length, 104);
    assert.deepEqual(holders, ['RichTextBlock']);
  });

  it('shows the post labelled Html with its apostrophe as written', async () => {
    const text = await answerTo(bot, channelCommand('health Exchange Online'));

    assert.match(
      text,
      /Latest post: \nTitle: Exchange Online service has login issue\. We'll provide/,
    );
    assert.doesNotMatch(text, /&#39;|&apos;|We\\'ll/);
  });

  it('follows @odata.nextLink to a second page when the answer has one', async () => {
    bot.graph.clearFaults();
    const recorded = fixture('01-healthoverviews-expand-issues');
    const body = structuredClone(recorded.body) as Record<string, unknown>;
    body['@odata.nextLink'] =
      `${bot.graph.url}/admin/serviceAnnouncement/healthOverviews?$expand=issues&$skiptoken=1`;
    bot.graph.serveFixture({ ...recorded, body }, { path: OVERVIEWS });

    const text = await answerTo(bot, channelCommand('health'));

    assert.match(text, /2 services need attention · 10 operational/);
    assert.match(text, /Microsoft Teams[^]*SharePoint Online[^]*Operational: \nExchange Online,/);
  });
});
