import assert from 'node:assert/strict';
import { BotHarness, channelCommand } from '../support/bot-harness';
import {
  COMMS_TENANT,
  FAST_DELIVERY,
  personalMessage,
  roomCommand,
  stakeholderDeliveries,
  waitUntil,
} from '../support/comms-kit';

function lastReply(bot: BotHarness): string {
  return bot.connector.sent().at(-1)?.body?.text ?? '';
}

describe('subscribe and unsubscribe', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start({ env: { ...FAST_DELIVERY, STAKEHOLDER_CHANNEL_ID: '' } });
  });

  after(async () => {
    await bot.stop();
  });

  it('works only in the 1:1 chat and says so elsewhere', async () => {
    await bot.send(channelCommand('subscribe'));
    assert.match(lastReply(bot), /in a 1:1 chat, or press Follow/);
  });

  it('sends a subscriber to one service only the updates of incidents that touch it', async () => {
    await bot.send(personalMessage(1, 'subscribe Exchange'));
    assert.match(lastReply(bot), /for Exchange here/);
    await bot.send(personalMessage(2, 'subscribe'));

    await bot.send(channelCommand('declare Teams meetings fail sev3'));
    const [incident] = await bot.app.store.listIncidents(COMMS_TENANT, {
      openOnly: false,
      limit: 1,
    });
    await bot.send(roomCommand(incident.place!.conversationId, 'update Meetings fail to start.'));
    await waitUntil('the all-incidents subscriber', () =>
      stakeholderDeliveries(bot.connector.calls).has('a:chat-person-2'),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(stakeholderDeliveries(bot.connector.calls).has('a:chat-person-1'), false);
  });

  it('stops the updates on unsubscribe', async () => {
    await bot.send(personalMessage(2, 'unsubscribe'));
    assert.match(lastReply(bot), /no longer get stakeholder updates for all incidents/);
    await bot.send(personalMessage(2, 'unsubscribe'));
    assert.match(lastReply(bot), /You had no stakeholder updates to stop/);
  });

  it('names the services a bare unsubscribe removed, not all incidents', async () => {
    await bot.send(personalMessage(3, 'subscribe Exchange'));
    await bot.send(personalMessage(3, 'subscribe Teams'));

    await bot.send(personalMessage(3, 'unsubscribe'));

    assert.match(lastReply(bot), /no longer get stakeholder updates for exchange, teams\./);
    assert.doesNotMatch(lastReply(bot), /all incidents/);
  });
});
