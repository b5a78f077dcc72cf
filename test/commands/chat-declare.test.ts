import assert from 'node:assert/strict';
import {
  BotHarness,
  cardOf,
  cardText,
  FIXTURE_TENANTS,
  loadTeamsFixture,
} from '../support/bot-harness';

let counter = 0;

/** A typed message in a chat, built on a recorded activity of that chat (T13 or T03). */
function chatMessage(fixture: string, text: string): Record<string, any> {
  const base = loadTeamsFixture(fixture);
  counter += 1;
  return {
    ...base,
    type: 'message',
    id: `chat-${Date.now()}-${counter}`,
    text,
    attachments: [],
    membersAdded: undefined,
  };
}

describe('declaring an incident in a chat', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start();
  });

  after(async () => {
    await bot.stop();
  });

  for (const [where, fixture] of [
    ['a personal chat', '13-personal-chat-html-richtext.json'],
    ['a group chat', '03-groupchat-member-added.json'],
  ] as const) {
    it(`posts the summary card into ${where} and keeps the war room there`, async () => {
      const message = chatMessage(fixture, `declare Mail delays seen from ${where} sev3`);
      await bot.send(message);

      const [incident] = await bot.app.store.listIncidents(FIXTURE_TENANTS[0], {
        openOnly: false,
        limit: 1,
      });
      const card = bot.connector
        .sent()
        .map((call) => cardOf(call.body))
        .find((posted) => posted && cardText(posted).includes(`Mail delays seen from ${where}`));
      assert.equal(incident.place?.conversationId, message.conversation.id);
      assert.ok(card, 'the summary card reached the chat');
    });
  }
});
