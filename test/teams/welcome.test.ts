import assert from 'node:assert/strict';
import { BotHarness, loadTeamsFixture } from '../support/bot-harness';

/** The app added to someone's personal scope: Teams opens the 1:1 chat and says so. */
function personalInstall(): Record<string, any> {
  const activity = loadTeamsFixture('18-installation-update-add.json');
  const tenantId = activity.conversation.tenantId;
  return {
    ...activity,
    id: 'f:personal-install',
    conversation: { conversationType: 'personal', id: 'a:1personal-chat-with-bot', tenantId },
    channelData: { tenant: { id: tenantId } },
  };
}

/** The bot itself added to a group chat (T03 is a person joining one). */
function botAddedToGroupChat(): Record<string, any> {
  const activity = loadTeamsFixture('03-groupchat-member-added.json');
  return { ...activity, membersAdded: [{ id: activity.recipient.id }] };
}

describe('the welcome when the bot is added', () => {
  let bot: BotHarness;

  beforeEach(async () => {
    bot = await BotHarness.start();
  });

  afterEach(async () => {
    await bot.stop();
  });

  it('asks for the command as typed in a 1:1 chat, with no mention', async () => {
    await bot.send(personalInstall());

    const [greeting] = bot.connector.sent();
    assert.match(greeting.body.text, /Type “declare ‹title› sev2” here/);
    assert.doesNotMatch(greeting.body.text, /[Mm]ention/);
  });

  it('asks to be mentioned in a group chat, where it reads only messages that mention it', async () => {
    await bot.send(botAddedToGroupChat());

    const [greeting] = bot.connector.sent();
    assert.equal(greeting.conversationId, '19:d902ff97b5abe32a2f65b0c3b75dbef2@thread.v2');
    assert.match(greeting.body.text, /Mention me with “declare ‹title› sev2”/);
  });

  it('asks to be mentioned in a channel', async () => {
    await bot.send(loadTeamsFixture('16-conversationupdate-bot-added-to-team.json'));

    const [greeting] = bot.connector.sent();
    assert.match(greeting.body.text, /Mention me with “declare ‹title› sev2”/);
  });
});
