import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { BotHarness, cardOf, cardText } from '../support/bot-harness';
import { declare, postUpdate, startBot, TestClock } from './engagement-kit';

function reminders(bot: BotHarness) {
  return bot.connector
    .sent()
    .filter((call) => /stakeholder update for INC-\d+ is due/.test(call.body?.text ?? ''));
}

function remindersAbout(bot: BotHarness, title: string) {
  return reminders(bot).filter((call) => cardText(cardOf(call.body)).includes(title));
}

describe('update cadence reminders', () => {
  const clock = new TestClock();
  let dir: string;
  let first: BotHarness;
  let second: BotHarness;

  before(async () => {
    // Two instances on one database file, as two processes behind a load balancer would be.
    dir = mkdtempSync(join(tmpdir(), 'cadence-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'bot.db')}` };
    first = await startBot({ clock: clock.read, env });
    second = await startBot({ clock: clock.read, env });
  });

  after(async () => {
    await first.stop();
    await second.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reminds once when a SEV1 update is overdue, even with two instances racing', async () => {
    await declare(first, 'Teams meetings fail to start', 1);
    clock.advanceMinutes(31);

    const counts = await Promise.all([
      first.app.engagement.runOnce(),
      second.app.engagement.runOnce(),
      first.app.engagement.runOnce(),
      second.app.engagement.runOnce(),
    ]);

    assert.equal(
      counts.reduce((sum, count) => sum + count, 0),
      1,
    );
    assert.equal(reminders(first).length, 1);
  });

  it('mentions the commander and offers the update dialog', async () => {
    const reminder = reminders(first)[0];

    assert.equal(reminder.body.entities?.[0]?.mentioned?.name, 'Avery Example');
    assert.deepEqual(cardOf(reminder.body).actions[0].data.dialog, 'comms.update');
  });

  it('reminds again only when the next due time passes', async () => {
    clock.advanceMinutes(10);
    await first.app.engagement.runOnce();
    assert.equal(reminders(first).length, 1);

    clock.advanceMinutes(25);
    await second.app.engagement.runOnce();
    assert.equal(reminders(first).length, 2);
  });

  it('counts from the last stakeholder update rather than the declaration', async () => {
    const incident = await declare(first, 'SharePoint uploads failing', 2);
    clock.advanceMinutes(50);
    await postUpdate(first, incident.id, { summary: 'Uploads fail for large files.' });
    clock.advanceMinutes(20);
    await first.app.engagement.runOnce();
    const early = remindersAbout(first, 'SharePoint uploads failing').length;

    clock.advanceMinutes(45);
    await first.app.engagement.runOnce();

    assert.equal(early, 0);
    assert.equal(remindersAbout(first, 'SharePoint uploads failing').length, 1);
  });

  it('never reminds for a SEV4', async () => {
    await declare(first, 'Typo on the intranet home page', 4);
    clock.advanceMinutes(10 * 24 * 60);

    await first.app.engagement.runOnce();

    assert.equal(remindersAbout(first, 'Typo on the intranet').length, 0);
    assert.ok(remindersAbout(first, 'SharePoint uploads failing').length > 1);
  });
});

describe('the cadence settings', () => {
  const base = { BOT_AUTH: 'disabled', ALLOWED_TENANT_IDS: 'tenant' };

  it('read CADENCE_MINUTES as minutes for SEV1 to SEV4', () => {
    const config = loadConfig({ ...base, CADENCE_MINUTES: '15, 45, 120, 0' });

    assert.deepEqual(config.CADENCE_MINUTES, [15, 45, 120, 0]);
  });

  it('refuse a list that is not four whole numbers, naming the setting', () => {
    assert.throws(() => loadConfig({ ...base, CADENCE_MINUTES: '30,60,240' }), /CADENCE_MINUTES/);
    assert.throws(
      () => loadConfig({ ...base, CADENCE_MINUTES: '30,sixty,240,0' }),
      /CADENCE_MINUTES/,
    );
  });
});
