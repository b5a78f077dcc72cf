import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  BotHarness,
  cardOf,
  cardPress,
  cardText,
  channelCommand,
  FIXTURE_TENANTS,
  loadTeamsFixture,
} from '../support/bot-harness';
import { FileHost } from '../support/file-host';

const TENANT = 'ac44f4ea-9c40-4d8d-bf7a-79ff28040c7f';
const MAX_BYTES = 1000;
const EVIDENCE = Buffer.from('2026-12-03T09:14:02Z sign-in from 203.0.113.7 user=jordan\n');
const SHA256 = createHash('sha256').update(EVIDENCE).digest('hex');

let sequence = 0;

/** Fixture T22 (a file sent in a 1:1 chat) with its download link on `host`. */
function fileMessage(downloadUrl: string, overrides: Record<string, any> = {}) {
  const activity = loadTeamsFixture('22-personal-file-download-info.json');
  sequence += 1;
  activity.id = `file-${sequence}`;
  activity.attachments[0].content.downloadUrl = downloadUrl;
  return { ...activity, ...overrides };
}

/** "Add to timeline" pressed in the 1:1 chat, by the sender of T22 unless `from` says otherwise. */
function attachPress(data: Record<string, unknown>, from?: Record<string, string>) {
  const file = loadTeamsFixture('22-personal-file-download-info.json');
  return cardPress('evidence.attach', data, {
    from: from ?? file.from,
    conversation: file.conversation,
    channelData: file.channelData,
  });
}

function pressData(card: any) {
  const action = card.actions.find((a: any) => a.verb === 'evidence.attach');
  return { ...action.data, incidentNumber: '1' };
}

describe('evidence files sent to the bot (fixture T22)', () => {
  let bot: BotHarness;
  const host = new FileHost(EVIDENCE);

  before(async () => {
    await host.start();
    bot = await BotHarness.start({
      env: { FILE_DOWNLOAD_HOSTS: '127.0.0.1', EVIDENCE_MAX_BYTES: String(MAX_BYTES) },
    });
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

  async function incidentOne() {
    const incidents = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 50 });
    return incidents.find((incident) => incident.number === 1)!;
  }

  async function evidenceEntries() {
    const timeline = await bot.app.store.listTimeline((await incidentOne()).id, {
      offset: 0,
      limit: 50,
    });
    return timeline.filter((entry) => entry.kind === 'evidence');
  }

  it('downloads through downloadUrl without a token and answers with the file’s SHA-256', async () => {
    await bot.send(fileMessage(`${host.url}/file_example.txt`));

    const card = cardOf(bot.connector.sent()[0].body);
    assert.deepEqual(host.requests, [{ path: '/file_example.txt', authorization: undefined }]);
    assert.match(cardText(card), new RegExp(`${SHA256}[\\s\\S]*Not added yet`));
  });

  it('fetches a re-delivered message’s file once and answers with the same file', async () => {
    const message = fileMessage(`${host.url}/file_example.txt`);
    await bot.send(message);
    await bot.send(message);

    const [first, second] = bot.connector.sent().map((call) => cardOf(call.body));
    assert.equal(host.requests.length, 1);
    assert.deepEqual(pressData(second), pressData(first));
  });

  it('adds the file to the chosen incident’s timeline once, however often it is pressed', async () => {
    const before = (await evidenceEntries()).length;
    await bot.send(fileMessage(`${host.url}/file_example.txt`));
    const data = pressData(cardOf(bot.connector.sent()[0].body));

    const answer = await bot.send(attachPress(data));
    await bot.send(attachPress(data));

    assert.match(cardText(answer.body.value), /On the timeline of INC-0001/);
    assert.equal((await evidenceEntries()).length, before + 1);
  });

  it('refuses anyone but the sender adding the file, and changes nothing', async () => {
    const before = (await evidenceEntries()).length;
    await bot.send(fileMessage(`${host.url}/file_example.txt`));
    const data = pressData(cardOf(bot.connector.sent()[0].body));

    const answer = await bot.send(
      attachPress(data, loadTeamsFixture('27-adaptivecard-action-execute-manual.json').from),
    );

    assert.match(JSON.stringify(answer.body), /Only the person who sent the file/);
    assert.equal((await evidenceEntries()).length, before);
  });

  it('adds the file at once when its message names the incident', async () => {
    const before = (await evidenceEntries()).length;

    await bot.send(fileMessage(`${host.url}/file_example.txt`, { text: 'INC-0001 proxy log' }));

    assert.match(cardText(cardOf(bot.connector.sent()[0].body)), /On the timeline of INC-0001/);
    assert.equal((await evidenceEntries()).length, before + 1);
  });

  it('refuses a file over the size limit while it streams, keeping nothing', async () => {
    const message = fileMessage(`${host.url}/big.log`);
    message.attachments[0].name = 'big.log';

    await bot.send(message);

    const card = cardOf(bot.connector.sent()[0].body);
    assert.match(cardText(card), /big\.log[\s\S]*larger than 1000 bytes/);
    assert.equal(card.actions.length, 0);
  });

  it('refuses a type it does not take without downloading it', async () => {
    const message = fileMessage(`${host.url}/tool.exe`);
    message.attachments[0].name = 'tool.exe';
    message.attachments[0].content.fileType = 'exe';

    await bot.send(message);

    assert.match(cardText(cardOf(bot.connector.sent()[0].body)), /tool\.exe[\s\S]*I take txt, log/);
    assert.equal(host.requests.length, 0);
  });

  it('refuses a download link outside the allowed hosts, as the recorded one is', async () => {
    await bot.send(loadTeamsFixture('22-personal-file-download-info.json'));

    assert.match(cardText(cardOf(bot.connector.sent()[0].body)), /a link I may not fetch from/);
    assert.equal(host.requests.length, 0);
  });

  it('says so, without downloading, when no incident is open to add the file to', async () => {
    const otherTenant = FIXTURE_TENANTS[1];
    const message = fileMessage(`${host.url}/file_example.txt`);
    message.channelData = { tenant: { id: otherTenant } };
    message.conversation = { ...message.conversation, tenantId: otherTenant };

    await bot.send(message);

    assert.match(bot.connector.sent()[0].body.text, /No incident is open/);
    assert.equal(host.requests.length, 0);
  });
});
