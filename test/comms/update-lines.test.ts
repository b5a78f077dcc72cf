import assert from 'node:assert/strict';
import { commsStateOf } from '../../src/sandbox/routes-comms';
import { SANDBOX_USERS } from '../../src/sandbox/seed-tenant';
import { BotHarness, cardOf, channelCommand, loadTeamsFixture } from '../support/bot-harness';
import {
  COMMS_TENANT,
  FAST_DELIVERY,
  isStakeholderPost,
  roomCommand,
  waitUntil,
} from '../support/comms-kit';

const FIRST = 'Mail to external domains is delayed.';
const SECOND = 'Use Outlook on the web meanwhile.';

/** Two paragraphs as Teams writes them in a message's HTML twin, the bot mentioned first. */
function htmlTwin(first: string, second: string): string {
  const base = loadTeamsFixture('01-channel-mention-no-space-mention-name-differs.json');
  const mention = /<span[^>]*>Incident Commander<\/span>/.exec(base.attachments[0].content)![0];
  return `<p>${mention}&nbsp;${first}</p><p>${second}</p>`;
}

describe('`update <text>` typed on several lines in Teams', () => {
  let bot: BotHarness;
  let stakeholderCards: string[] = [];

  before(async () => {
    bot = await BotHarness.start({
      env: {
        ...FAST_DELIVERY,
        MAIL_SENDER: SANDBOX_USERS.riley.userPrincipalName,
        STAKEHOLDER_EMAILS: 'exec@contoso.example',
      },
    });
    await bot.send(channelCommand('declare Exchange Online mail delays sev2'));
    const [incident] = await bot.app.store.listIncidents(COMMS_TENANT, {
      openOnly: false,
      limit: 1,
    });
    const room = incident.place!.conversationId;
    // Shift+Enter in Teams: the text carries "\n" between the lines…
    await bot.send(roomCommand(room, `update ${FIRST}\n${SECOND}`));
    // …or runs them together, and only the HTML twin keeps them apart.
    await bot.send({
      ...roomCommand(room, `update ${FIRST}${SECOND}`),
      attachments: [{ contentType: 'text/html', content: htmlTwin(`update ${FIRST}`, SECOND) }],
    });
    await waitUntil(
      'both stakeholder posts and mails',
      () =>
        bot.connector.calls.filter(isStakeholderPost).length === 2 &&
        commsStateOf(bot.graph.state).mails.length === 2,
    );
    stakeholderCards = bot.connector.calls
      .filter(isStakeholderPost)
      .map((post) =>
        JSON.stringify(cardOf(post.path === '/v3/conversations' ? post.body.activity : post.body)),
      );
  });

  after(async () => {
    await bot.stop();
  });

  it('shows the lines in the stakeholder post, from the text or from its HTML twin', () => {
    const lines = `"type":"TextRun","text":"${FIRST}\\n${SECOND}"`;
    assert.ok(stakeholderCards[0].includes(lines), stakeholderCards[0]);
    assert.ok(stakeholderCards[1].includes(lines), stakeholderCards[1]);
  });

  it('shows the lines in the e-mail', () => {
    const mails = commsStateOf(bot.graph.state).mails;
    assert.ok(mails.every((mail) => mail.html.includes(`${FIRST}<br>${SECOND}`)));
  });
});
