import assert from 'node:assert/strict';
import pino from 'pino';
import { BotHarness, loadTeamsFixture } from '../support/bot-harness';

const SELECTED_CHANNEL = '19:be06b4f38bd313dba01e9ff330bcd702@thread.tacv2';

/** Fixture T18 with its action replaced, as Teams sends it on an upgrade or a removal. */
function installationUpdate(action: string) {
  return { ...loadTeamsFixture('18-installation-update-add.json'), action };
}

/** Each test installs into a fresh bot: a team is greeted only once per store. */
describe('greeting a team on install (fixtures T16 and T18)', () => {
  let bot: BotHarness;
  let errors: string[];

  beforeEach(async () => {
    errors = [];
    // An exception in a handler reaches onTurnError, which logs it at level error.
    const logger = pino(
      { level: 'error' },
      { write: (line: string) => void errors.push(JSON.parse(line).msg) },
    );
    bot = await BotHarness.start({ logger });
  });

  afterEach(async () => {
    await bot.stop();
  });

  it('greets once when the install arrives only as installationUpdate, even delivered twice', async () => {
    await bot.send(loadTeamsFixture('18-installation-update-add.json'));
    await bot.send(loadTeamsFixture('18-installation-update-add.json'));

    const greetings = bot.connector.sent();
    assert.equal(greetings.length, 1);
    assert.equal(greetings[0].conversationId, SELECTED_CHANNEL);
  });

  it('matches the action whatever its case, as in the docs’ "Add"', async () => {
    await bot.send(installationUpdate('Add'));

    assert.equal(bot.connector.sent().length, 1);
    assert.match(bot.connector.sent()[0].body.text, /I run incidents here/);
  });

  it('takes an "add-upgrade" after the install without greeting the team again', async () => {
    await bot.send(loadTeamsFixture('18-installation-update-add.json'));

    const upgrade = await bot.send({ ...installationUpdate('add-upgrade'), id: 'f:upgrade-1' });

    assert.equal(upgrade.status, 200);
    assert.equal(bot.connector.sent().length, 1);
  });

  it('greets nobody and logs no error on "remove"', async () => {
    const response = await bot.send(installationUpdate('remove'));

    assert.equal(response.status, 200);
    assert.deepEqual({ sent: bot.connector.calls.length, errors }, { sent: 0, errors: [] });
  });

  it('greets once when installationUpdate comes before its conversationUpdate', async () => {
    await bot.send(loadTeamsFixture('18-installation-update-add.json'));
    await bot.send(loadTeamsFixture('16-conversationupdate-bot-added-to-team.json'));

    const greetings = bot.connector.sent();
    assert.equal(greetings.length, 1);
    assert.equal(greetings[0].conversationId, SELECTED_CHANNEL);
  });
});
