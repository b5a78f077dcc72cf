import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  BotHarness,
  cardOf,
  cardText,
  channelCommand,
  loadTeamsFixture,
} from '../support/bot-harness';
import { FileHost } from '../support/file-host';

const T01_THREAD = '19:b06fc68716c55f8ef78b6e26052fcfe0@thread.skype;messageid=1571537152320';
const CARD = 'application/vnd.microsoft.card.adaptive';
const T27 = '27-adaptivecard-action-execute-manual.json';
const T22 = '22-personal-file-download-info.json';
const T13 = '13-personal-chat-html-richtext.json';
const T05 = '05-action-submit-message-empty-text.json';

/** Every recorded Teams payload, replayed through the real endpoint and adapter. */
describe('recorded Teams activities', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start();
  });

  after(async () => {
    await bot.stop();
  });

  beforeEach(() => {
    bot.connector.calls.length = 0;
  });

  it('T01: strips the bot mention by id and answers an unknown command with help in the thread', async () => {
    const response = await bot.send(
      loadTeamsFixture('01-channel-mention-no-space-mention-name-differs.json'),
    );

    const reply = bot.connector.sent()[0];
    assert.equal(response.status, 200);
    assert.equal(reply.conversationId, T01_THREAD);
    assert.match(cardText(cardOf(reply.body)), /I don't know that command/);
  });

  it('T03: says nothing when a person joins a group chat', async () => {
    const response = await bot.send(loadTeamsFixture('03-groupchat-member-added.json'));

    assert.equal(response.status, 200);
    assert.equal(bot.connector.calls.length, 0);
  });

  it('T05: treats a submit without text as a card submit and names the problem', async () => {
    const response = await bot.send(loadTeamsFixture('05-action-submit-message-empty-text.json'));

    const reply = bot.connector.sent()[0];
    assert.equal(response.status, 200);
    assert.match(reply.body.text, /did not say what to do/);
  });

  it('T07: opens the declare dialog from a card button, carrying its hidden data', async () => {
    const response = await bot.send(loadTeamsFixture('07-task-fetch-from-card.json'));

    const task = response.body.task;
    assert.equal(task.type, 'continue');
    assert.match(JSON.stringify(task.value.card.content), /hidden value from task module launcher/);
  });

  it('T08: answers a dialog submit it does not recognise with a message, never a 500', async () => {
    const response = await bot.send(loadTeamsFixture('08-task-submit.json'));

    assert.equal(response.status, 200);
    assert.equal(response.body.task.type, 'message');
  });

  it('T10: posts nothing when a channel is created', async () => {
    const response = await bot.send(loadTeamsFixture('10-channel-created.json'));

    assert.equal(response.status, 200);
    assert.equal(bot.connector.calls.length, 0);
  });

  it('T12: refuses an activity without a tenant before any handler runs', async () => {
    const response = await bot.send(
      loadTeamsFixture('12-channel-reply-mention-entity-text-mismatch.json'),
    );

    assert.equal(response.status, 200);
    assert.equal(bot.connector.calls.length, 0);
  });

  it('T13: parses the plain text, not the HTML twin, and answers with help', async () => {
    await bot.send(loadTeamsFixture('13-personal-chat-html-richtext.json'));

    const reply = bot.connector.sent()[0];
    assert.ok(cardOf(reply.body), 'a help card');
    assert.doesNotMatch(JSON.stringify(reply.body), /<strong>/);
  });

  it('T15: refuses a message action id it does not know with a message, never a 500', async () => {
    const response = await bot.send(loadTeamsFixture('15-me-message-action-messagepayload.json'));

    assert.equal(response.status, 200);
    assert.equal(response.body.task.type, 'message');
  });

  it('T15: builds the declare form from the message, HTML stripped, when the id is ours', async () => {
    const activity = loadTeamsFixture('15-me-message-action-messagepayload.json');
    activity.value.commandId = 'declareIncident';

    const response = await bot.send(activity);

    const form = JSON.stringify(response.body.task.value.card.content);
    assert.match(form, /"value":"Legacy Pager Webhook - Hi"/);
    assert.doesNotMatch(form, /<at|<div/);
  });

  it('T16 + T18: greets a team exactly once although both install events arrive', async () => {
    await bot.send(loadTeamsFixture('16-conversationupdate-bot-added-to-team.json'));
    await bot.send(loadTeamsFixture('18-installation-update-add.json'));

    const greetings = bot.connector.sent();
    assert.equal(greetings.length, 1);
    assert.equal(greetings[0].conversationId, '19:be06b4f38bd313dba01e9ff330bcd702@thread.tacv2');
  });

  it('T16: keeps the team’s conversation reference under its Entra group id', async () => {
    await bot.send(loadTeamsFixture('16-conversationupdate-bot-added-to-team.json'));

    const installation = await bot.app.store.getInstallation(
      'team:2602f86e-39f8-4184-8048-8151f21224f5',
    );
    assert.equal(installation?.tenantId, 'a134e4c7-7e68-42d8-b1ce-480a3f1fb558');
    assert.match(
      JSON.stringify(installation?.reference),
      /19:be06b4f38bd313dba01e9ff330bcd702@thread.tacv2/,
    );
  });

  it('T20: ignores channel chatter that does not mention the bot', async () => {
    const response = await bot.send(
      loadTeamsFixture('20-rsc-split-mention-one-user-three-entities.json'),
    );

    assert.equal(response.status, 200);
    assert.equal(bot.connector.calls.length, 0);
  });

  // The recorded upload reaching an open incident: 'a recorded bare file upload (T22)' below.
  // The recorded press reaching a real incident: 'a recorded Action.Execute press (T27)' below.
  it('T27: answers a press whose sender name and entities are malformed, never a 500', async () => {
    const activity = loadTeamsFixture('27-adaptivecard-action-execute-manual.json');
    activity.id = 'malformed-1';
    activity.from = { ...activity.from, name: 42 };
    activity.entities = { type: 'clientInfo' };

    const response = await bot.send(activity);

    assert.equal(response.status, 200);
    assert.equal(response.body.statusCode, 200);
  });

  it('T29: answers an unknown invoke name with an empty 200', async () => {
    const response = await bot.send(loadTeamsFixture('29-unknown-invoke-message-fetchtask.json'));

    assert.equal(response.status, 200);
    assert.equal(response.body, undefined);
  });
});

describe('a recorded Action.Execute press (T27)', () => {
  let bot: BotHarness;
  let incidentId: string;
  let firstAnswer: any;

  before(async () => {
    bot = await BotHarness.start();
    // The recording names INC-0042. Declaring that many lets the press reach a real incident
    // unchanged; against a missing one every answer is "does not exist" and proves nothing.
    const tenantId = loadTeamsFixture(T27).channelData.tenant.id;
    for (let number = 1; number <= 42; number++) {
      await bot.send(channelCommand(`declare Filler incident ${number} sev4`));
    }
    incidentId = (await bot.app.store.getIncidentByNumber(tenantId, 42))!.id;
  });

  after(async () => {
    await bot.stop();
  });

  async function entriesOf(kind: string) {
    const timeline = await bot.app.store.listTimeline(incidentId, { offset: 0, limit: 50 });
    return timeline.filter((entry) => entry.kind === kind).map((entry) => entry.text);
  }

  it('answers in the HTTP body with the summary card, acknowledged by the presser', async () => {
    firstAnswer = (await bot.send(loadTeamsFixture(T27))).body;

    assert.deepEqual(
      { statusCode: firstAnswer.statusCode, type: firstAnswer.type, of: firstAnswer.value?.type },
      { statusCode: 200, type: CARD, of: 'AdaptiveCard' },
    );
    assert.match(cardText(firstAnswer.value), /INC-0042[\s\S]*Acknowledged\nAvery Example, /);
  });

  it('acknowledges once and answers the same when Teams delivers the press again', async () => {
    const again = await bot.send(loadTeamsFixture(T27));

    assert.deepEqual(await entriesOf('acknowledged'), ['Acknowledged']);
    assert.deepEqual(again.body, firstAnswer);
  });

  it('puts the typed emoji and em dash on the timeline intact, once for a repeated delivery', async () => {
    // Acknowledging reads no input, so the recorded words go where the bot reads typed text: the
    // note input of the summary card's "Add note". Id, sender and envelope stay as recorded.
    const press = loadTeamsFixture(T27);
    const typed: string = press.value.action.data.ackNote;
    press.value.action = {
      ...press.value.action,
      verb: 'timeline.note',
      data: { incidentId: 'INC-0042', note: typed },
    };

    await bot.send(press);
    const again = await bot.send(press);

    assert.deepEqual(await entriesOf('note'), ['on it 👀 — checking Exchange Online']);
    assert.equal(again.body.type, 'application/vnd.microsoft.card.adaptive');
  });
});

describe('a recorded bare file upload in a 1:1 chat (T22)', () => {
  const LOG = Buffer.from('2019-10-21T20:53:37Z sign-in from 203.0.113.7 user=jordan\n');
  const host = new FileHost(LOG);
  let bot: BotHarness;

  before(async () => {
    await host.start();
    bot = await BotHarness.start({
      env: { FILE_DOWNLOAD_HOSTS: '127.0.0.1', EVIDENCE_MAX_BYTES: '1000' },
    });
    // With no incident open the bot refuses before downloading, and the replay would show nothing.
    await bot.send(channelCommand('declare Suspicious sign-ins sev2'));
  });

  after(async () => {
    await bot.stop();
    await host.stop();
  });

  beforeEach(() => {
    bot.connector.calls.length = 0;
    host.requests.length = 0;
  });

  /** T22 as recorded, its two links moved to the local host with their paths kept. */
  function recordedUpload(downloadPath: string) {
    const activity = loadTeamsFixture(T22);
    const [file] = activity.attachments;
    file.contentUrl = `${host.url}${new URL(file.contentUrl).pathname}`;
    file.content.downloadUrl = `${host.url}${downloadPath}`;
    return activity;
  }

  it('fetches content.downloadUrl only, without a token, and answers with the file’s card', async () => {
    await bot.send(recordedUpload('/download'));

    const sha256 = createHash('sha256').update(LOG).digest('hex');
    assert.deepEqual(host.requests, [{ path: '/download', authorization: undefined }]);
    assert.match(
      cardText(cardOf(bot.connector.sent()[0].body)),
      new RegExp(String.raw`^Evidence\nfile_example\.txt\n[\s\S]*SHA-256\n${sha256}\n`),
    );
  });

  it('refuses the same upload over EVIDENCE_MAX_BYTES while it streams, keeping nothing', async () => {
    const upload = { ...recordedUpload('/big.log'), id: `${loadTeamsFixture(T22).id}-big` };

    await bot.send(upload);

    const card = cardOf(bot.connector.sent()[0].body);
    assert.match(cardText(card), /Not taken: \nfile_example\.txt\n\. .*larger than 1000 bytes/);
    assert.equal(card.actions.length, 0);
  });
});

describe('recorded personal-chat messages with an HTML twin and a time zone (T13)', () => {
  const recorded = loadTeamsFixture(T13);
  let bot: BotHarness;
  let sequence = 0;

  before(async () => {
    // The recording's instant. Los Angeles is on PST (UTC-8) then, although the message says
    // -07:00: 21:10 UTC is 13:10 there, and the offset would make it 14:10.
    bot = await BotHarness.start({ clock: () => new Date(recorded.timestamp) });
  });

  after(async () => {
    await bot.stop();
  });

  /** T13 with `text` typed, its HTML twin `html` (the recorded one unless given). */
  function typed(text: string, html?: string) {
    const activity = loadTeamsFixture(T13);
    sequence += 1;
    activity.id = `${recorded.id}-${sequence}`;
    activity.text = text;
    if (html !== undefined) activity.attachments[0].content = html;
    return activity;
  }

  async function incidentOne() {
    return (await bot.app.store.getIncidentByNumber(recorded.channelData.tenant.id, 1))!;
  }

  it('parses the command from the text when its HTML twin says something else', async () => {
    await bot.send(typed('declare Mail delays for EU users sev2'));

    const incident = await incidentOne();
    assert.deepEqual([incident.title, incident.severity], ['Mail delays for EU users', 2]);
  });

  it('takes a note from a matching twin without its tags, stamped in UTC', async () => {
    await bot.send(
      typed(
        'INC-1 note Failover started.Sending bold-italic traffic',
        '<div><div>INC-1 note Failover started. Sending <strong>bold</strong>-<em>italic</em> traffic</div>\n</div>',
      ),
    );

    const timeline = await bot.app.store.listTimeline((await incidentOne()).id, {
      offset: 0,
      limit: 10,
    });
    const note = timeline.find((entry) => entry.kind === 'note');
    assert.deepEqual(
      { text: note?.text, at: note?.at },
      { text: 'Failover started. Sending bold-italic traffic', at: '2017-02-01T21:10:07.437Z' },
    );
  });

  it('shows the timeline in Los Angeles time from the IANA zone, not the -07:00 offset', async () => {
    await bot.send(typed('INC-1 timeline'));

    const card = cardText(cardOf(bot.connector.sent().at(-1)?.body));
    assert.match(card, /Times in America\/Los_Angeles/);
    assert.deepEqual(
      new Set(card.match(/\d\d \w{3} \d{4}, \d\d:\d\d/g)),
      new Set(['01 Feb 2017, 13:10']),
    );
  });

  it('shows the note taken from the twin in the timeline card without any of its HTML', async () => {
    await bot.send(typed('INC-1 timeline', '<div><div>INC-1 timeline</div>\n</div>'));

    const card = cardOf(bot.connector.sent().at(-1)?.body);
    assert.match(cardText(card), /Failover started\. Sending bold-italic traffic/);
    assert.doesNotMatch(JSON.stringify(card), /<\/?(div|strong|em)>/);
  });
});

describe('recorded Action.Submit presses that name what to do (T05)', () => {
  const recorded = loadTeamsFixture(T05);
  let bot: BotHarness;
  let incidentId: string;
  let sequence = 0;

  before(async () => {
    bot = await BotHarness.start();
    await bot.send(channelCommand('declare Exchange Online mail delays sev2'));
    incidentId = (await bot.app.store.getIncidentByNumber(recorded.channelData.tenant.id, 1))!.id;
  });

  after(async () => {
    await bot.stop();
  });

  beforeEach(() => {
    bot.connector.calls.length = 0;
    bot.connector.intercept = undefined;
  });

  /** T05's envelope (legacy "1:…" replyToId) with the data of a summary card's fallback. */
  function submitted(data: Record<string, unknown>) {
    sequence += 1;
    return { ...loadTeamsFixture(T05), id: `${recorded.id}-${sequence}`, value: data };
  }

  /** The cards the pressed message (T05's replyToId) was updated to, oldest first. */
  function pressedCards() {
    return bot.connector
      .updates()
      .filter((call) => call.activityId === recorded.replyToId)
      .map((call) => cardText(cardOf(call.body)));
  }

  /** Waits for the pressed card to be updated: that happens after the answer. */
  async function pressedCardAfter(activity: Record<string, any>) {
    await bot.send(activity);
    await bot.connector.waitFor(() => pressedCards().length > 0);
    return pressedCards().at(-1) ?? '';
  }

  it('updates the card it was pressed on, by the legacy replyToId, posting nothing new', async () => {
    const card = await pressedCardAfter(submitted({ verb: 'incident.acknowledge', incidentId }));

    assert.match(card, /Acknowledged\nAvery Example, .* \(UTC\)/);
    assert.equal(bot.connector.sent().length, 0);
  });

  it('refreshes the pressed card in place, where it answered nothing before', async () => {
    const card = await pressedCardAfter(submitted({ verb: 'incident.refresh', incidentId }));

    assert.match(card, /INC-0001 · SEV2 · Investigating[\s\S]*Exchange Online mail delays/);
    assert.equal(bot.connector.sent().length, 0);
  });

  it('posts a view such as the timeline as a new card, leaving the shared one as it was', async () => {
    await bot.send(submitted({ verb: 'timeline.show', incidentId }));

    const posts = bot.connector.sent();
    assert.match(cardText(cardOf(posts[0]?.body)), /Avery Example: \nAcknowledged/);
    assert.deepEqual(pressedCards(), []);
  });

  it('names an empty input as the problem, changing nothing', async () => {
    await bot.send(submitted({ verb: 'timeline.note', incidentId, note: '' }));

    assert.match(bot.connector.sent()[0].body.text, /^Write a note first\.$/);
    assert.deepEqual(pressedCards(), []);
  });
});
