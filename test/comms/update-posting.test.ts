import assert from 'node:assert/strict';
import { commsStateOf } from '../../src/sandbox/routes-comms';
import { SANDBOX_USERS } from '../../src/sandbox/seed-tenant';
import {
  BotHarness,
  cardOf,
  cardText,
  channelCommand,
  loadTeamsFixture,
} from '../support/bot-harness';
import {
  COMMS_TENANT,
  FAST_DELIVERY,
  isStakeholderPost,
  personalMessage,
  roomCommand,
  STAKEHOLDER_CHANNEL,
  stakeholderDeliveries,
  waitUntil,
} from '../support/comms-kit';

function lastReply(bot: BotHarness): string {
  return bot.connector.sent().at(-1)?.body?.text ?? '';
}

function dialogActivity(name: 'task/fetch' | 'task/submit', data: Record<string, unknown>) {
  const base = loadTeamsFixture('08-task-submit.json');
  return { ...base, name, id: `${name}-${Math.random()}`, value: { ...base.value, data } };
}

describe('posting a stakeholder update', () => {
  let bot: BotHarness;
  let room: string;
  let incidentId: string;

  before(async () => {
    bot = await BotHarness.start({
      env: {
        ...FAST_DELIVERY,
        MAIL_SENDER: SANDBOX_USERS.riley.userPrincipalName,
        STAKEHOLDER_EMAILS: 'exec@contoso.example, board@contoso.example',
      },
    });
    await bot.send(personalMessage(1, 'subscribe'));
    await bot.send(channelCommand('declare Teams calls dropping sev1'));
    const [incident] = await bot.app.store.listIncidents(COMMS_TENANT, {
      openOnly: false,
      limit: 1,
    });
    room = incident.place!.conversationId;
    incidentId = incident.id;
  });

  after(async () => {
    await bot.stop();
  });

  it('says where to use `update` when no incident is implied', async () => {
    await bot.send(personalMessage(1, 'update All good'));
    assert.match(lastReply(bot), /incident’s channel or thread/);
    assert.match(lastReply(bot), /INC-0042 update/);
  });

  it('refuses an empty update and one over the limit, naming the limit', async () => {
    await bot.send(roomCommand(room, 'update'));
    assert.match(lastReply(bot), /at most 2000 characters/);
    await bot.send(roomCommand(room, `update ${'x'.repeat(2001)}`));
    assert.match(lastReply(bot), /at most 2000 characters; this one has 2001/);
  });

  it('posts the technical update in the incident thread and the plain one to stakeholders', async () => {
    await bot.send(roomCommand(room, 'update Calls drop after **5 minutes**; we are on it.'));
    await waitUntil(
      'both posts',
      () =>
        bot.connector.calls.some(
          (c) => c.conversationId === room && /Update 1 posted/.test(cardText(cardOf(c.body))),
        ) && stakeholderDeliveries(bot.connector.calls).size === 2,
    );

    const technical = bot.connector.calls.find(
      (c) => c.conversationId === room && /Update 1 posted/.test(cardText(cardOf(c.body))),
    );
    assert.match(cardText(cardOf(technical?.body)), /Posted by\n.*Avery|Avery/);
    assert.match(lastReply(bot) + cardText(cardOf(technical?.body)), /Update 1/);
  });

  it('e-mails the update through Graph sendMail from MAIL_SENDER to every address', async () => {
    await waitUntil('two mails', () => (bot.graph.state.comms?.mails.length ?? 0) === 2);
    const mails = commsStateOf(bot.graph.state).mails;
    assert.deepEqual(mails.map((m) => m.to[0]).sort(), [
      'board@contoso.example',
      'exec@contoso.example',
    ]);
    assert.equal(mails[0].from, SANDBOX_USERS.riley.userPrincipalName);
  });

  it('escapes user markdown in the card: the text arrives as typed, not as formatting', () => {
    const stakeholder = bot.connector.calls.find(isStakeholderPost);
    const card = cardOf(
      stakeholder?.path === '/v3/conversations' ? stakeholder.body.activity : stakeholder?.body,
    );
    const runs = JSON.stringify(card);
    assert.match(
      runs,
      /"type":"TextRun","text":"Calls drop after \*\*5 minutes\*\*; we are on it."/,
    );
  });

  it('puts the next update in the same stakeholder thread as a reply', async () => {
    await bot.send(roomCommand(room, 'update Fix deployed to half of the tenants.'));
    await waitUntil(
      'second stakeholder post',
      () => bot.connector.calls.filter((c) => isStakeholderPost(c) && c.status === 200).length >= 2,
    );

    const threadStarts = bot.connector
      .created()
      .filter((c) => c.body?.channelData?.channel?.id === STAKEHOLDER_CHANNEL);
    const replies = bot.connector.calls.filter(
      (c) =>
        isStakeholderPost(c) && c.conversationId?.startsWith(`${STAKEHOLDER_CHANNEL};messageid=`),
    );
    assert.equal(threadStarts.length, 1);
    assert.equal(replies.length, 1);
  });

  it('queues nothing twice when Teams delivers the same activity again', async () => {
    const activity = roomCommand(room, 'update Same words, same activity.');
    await bot.send(activity);
    await bot.send(activity);
    assert.match(lastReply(bot), /already posted/);
    const timeline = await bot.app.store.listTimeline(incidentId, { offset: 0, limit: 50 });
    assert.equal(timeline.filter((e) => e.kind === 'update').length, 3);
  });

  it('opens the update dialog from the summary card and posts what it submits', async () => {
    const fetched = await bot.send(
      dialogActivity('task/fetch', { dialog: 'comms.update', incidentId }),
    );
    const form = fetched.body.task.value.card.content;
    const version = form.actions[0].data.version;

    const submitted = await bot.send(
      dialogActivity('task/submit', {
        dialog: 'comms.update',
        incidentId,
        version,
        status: 'identified',
        affected: 'Teams calling in Europe',
        workaround: 'Use the mobile app',
        summary: 'We found the cause: a faulty network change.',
        internalNote: 'Change CHG-991 by the network team; roll back at 15:00',
        nextUpdateMinutes: '60',
      }),
    );
    assert.match(submitted.body.task.value, /Update 4 for INC-\d+ is posted/);
    assert.equal((await bot.app.store.getIncident(incidentId))?.status, 'identified');
  });

  it('keeps the internal note in the incident thread, out of stakeholder posts and e-mail', async () => {
    await waitUntil('update 4 everywhere', () => (bot.graph.state.comms?.mails.length ?? 0) === 8);
    const stakeholderText = bot.connector.calls
      .filter(isStakeholderPost)
      .map((c) => JSON.stringify(c.body))
      .join();
    const mails = commsStateOf(bot.graph.state)
      .mails.map((m) => m.html)
      .join();
    const roomText = bot.connector.calls
      .filter((c) => c.conversationId === room)
      .map((c) => JSON.stringify(c.body))
      .join();
    assert.ok(!stakeholderText.includes('CHG-991') && !mails.includes('CHG-991'));
    assert.ok(roomText.includes('CHG-991'));
  });

  it('shows per update how many were sent, pending and failed with `comms`', async () => {
    await bot.send(roomCommand(room, 'comms'));
    assert.match(lastReply(bot), /Update 4 by Avery Example: 5 sent, 0 pending, 0 failed/);
    assert.match(lastReply(bot), /Update 1 by .*: 5 sent/);
  });
});
