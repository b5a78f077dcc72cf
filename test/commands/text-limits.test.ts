import assert from 'node:assert/strict';
import {
  BotHarness,
  cardPress,
  channelCommand,
  FIXTURE_TENANTS,
  loadTeamsFixture,
} from '../support/bot-harness';

const TENANT = FIXTURE_TENANTS[0];
// Each is one character to its writer and two UTF-16 units to String.length.
const EMOJI_1500 = '🔥'.repeat(1500);
const LETTERS_2001 = 'x'.repeat(2001);

function addToTimeline(note: string) {
  const activity = loadTeamsFixture('15-me-message-action-messagepayload.json');
  return {
    ...activity,
    id: `action-${Math.random()}`,
    name: 'composeExtension/submitAction',
    channelData: { ...activity.channelData, tenant: { id: TENANT } },
    conversation: { ...activity.conversation, tenantId: TENANT },
    value: { ...activity.value, commandId: 'addToTimeline', data: { incidentNumber: '1', note } },
  };
}

describe('the length of a timeline note', () => {
  let bot: BotHarness;
  let incidentId: string;

  before(async () => {
    bot = await BotHarness.start();
    await bot.send(channelCommand('declare Exchange Online mail delays sev2'));
    [{ id: incidentId }] = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 1 });
  });

  after(async () => {
    await bot.stop();
  });

  async function latestEntry() {
    const [entry] = await bot.app.store.listTimeline(incidentId, { offset: 0, limit: 1 });
    return entry;
  }

  it('refuses a typed note over 2000 characters, naming its length', async () => {
    await bot.send(channelCommand(`INC-1 note ${LETTERS_2001}`));

    const reply = bot.connector.sent().at(-1)?.body.text;
    assert.match(reply, /A note is at most 2000 characters; this one has 2001\./);
    assert.notEqual((await latestEntry()).text, LETTERS_2001);
  });

  it('takes a typed note of 1500 emoji, each counted as one character', async () => {
    await bot.send(channelCommand(`INC-1 note ${EMOJI_1500}`));

    assert.match(bot.connector.sent().at(-1)?.body.text, /Added to the INC-0001 timeline/);
    assert.equal((await latestEntry()).text, EMOJI_1500);
  });

  it('refuses a note from the card over 2000 characters, naming its length', async () => {
    const note = `${'🔥'.repeat(2000)}!`;

    const response = await bot.send(
      cardPress('timeline.note', { incidentId, note, cardVersion: '1' }),
    );

    assert.match(response.body.value, /at most 2000 characters; this one has 2001\./);
    assert.notEqual((await latestEntry()).text, note);
  });

  it('takes a note of 1500 emoji from the card', async () => {
    const note = `Card: ${EMOJI_1500}`;

    await bot.send(cardPress('timeline.note', { incidentId, note, cardVersion: '2' }));

    assert.equal((await latestEntry()).text, note);
  });

  it('gives “Add to timeline” back with the length named when the entry is too long', async () => {
    const response = await bot.send(addToTimeline(LETTERS_2001));

    assert.equal(response.body.task.type, 'continue');
    assert.match(JSON.stringify(response.body.task.value.card.content), /this one has 2001/);
  });

  it('takes 1500 emoji through “Add to timeline”', async () => {
    const note = `Message: ${EMOJI_1500}`;

    await bot.send(addToTimeline(note));

    assert.equal((await latestEntry()).text, note);
  });
});

function updateDialog(incidentId: string, fields: Record<string, string>) {
  const activity = loadTeamsFixture('08-task-submit.json');
  return {
    ...activity,
    id: `submit-${Math.random()}`,
    value: { ...activity.value, data: { dialog: 'comms.update', incidentId, ...fields } },
  };
}

describe('the length of a stakeholder update', () => {
  let bot: BotHarness;
  let incidentId: string;

  before(async () => {
    bot = await BotHarness.start();
    await bot.send(channelCommand('declare Teams calls dropping sev1'));
    [{ id: incidentId }] = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 1 });
  });

  after(async () => {
    await bot.stop();
  });

  async function summaries() {
    const rows = await bot.app.store.database
      .selectFrom('comms_updates')
      .select('summary')
      .where('incident_id', '=', incidentId)
      .execute();
    return rows.map((row) => row.summary);
  }

  it('takes a typed update of 1500 emoji, each counted as one character', async () => {
    await bot.send(channelCommand(`INC-1 update ${EMOJI_1500}`));

    assert.match(bot.connector.sent().at(-1)?.body.text, /Update 1 for INC-0001 is posted/);
    assert.deepEqual(await summaries(), [EMOJI_1500]);
  });

  it('refuses a typed update of 2001 emoji, naming its length in characters', async () => {
    await bot.send(channelCommand(`INC-1 update ${'🔥'.repeat(2001)}`));

    const reply = bot.connector.sent().at(-1)?.body.text;
    assert.match(reply, /An update is at most 2000 characters; this one has 2001\./);
    assert.equal((await summaries()).length, 1);
  });

  it('counts the form’s shorter fields the same way, naming the length', async () => {
    const affected = '🔥'.repeat(1001);

    const response = await bot.send(updateDialog(incidentId, { summary: 'Calls drop', affected }));

    const form = JSON.stringify(response.body.task.value.card.content);
    assert.match(form, /What is affected is at most 1000 characters; this one has 1001\./);
    assert.equal((await summaries()).length, 1);
  });
});
