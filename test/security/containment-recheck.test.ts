import assert from 'node:assert/strict';
import { BotHarness, cardText } from '../support/bot-harness';
import {
  accountRowText,
  declareIncident,
  lostStep,
  pressAs,
  SANDBOX_USERS,
  sandboxSecurity,
  securityStore,
  startSecurityBot,
} from './security-kit';

const { avery, jordan, quinn, riley, casey } = SANDBOX_USERS;

describe('a containment step whose outcome was lost when the bot died mid-call', () => {
  let bot: BotHarness;
  let incidentId: string;

  before(async () => {
    bot = await startSecurityBot();
    incidentId = await declareIncident(bot, 'Password spray sev2');
  });

  after(() => bot.stop());

  function press(verb: string, requestId: string, user = jordan) {
    return bot.send(pressAs(user, verb, { incidentId, requestId }));
  }

  async function executedRecords(requestId: string) {
    const audit = await securityStore(bot).listAudit(incidentId, 100);
    return audit.filter((r) => r.event === 'executed' && r.requestId === requestId);
  }

  it('says its outcome is not known and offers to check Entra again', async () => {
    const requestId = await lostStep(bot, incidentId, quinn, 'block', 40);

    const text = cardText((await press('containment.show', requestId)).body.value);

    assert.match(text, /Block sign-in: outcome not known: check Entra/);
    assert.match(text, /Check Entra again/);
  });

  it('still says "in progress" for a step claimed a minute ago, with no re-check', async () => {
    const requestId = await lostStep(bot, incidentId, quinn, 'block', 1);

    const text = cardText((await press('containment.show', requestId)).body.value);

    assert.match(text, /Block sign-in: in progress \(outcome not known yet\)/);
    assert.doesNotMatch(text, /Check Entra again/);
  });

  it('records the block as done once when Entra shows sign-in blocked, for a double press', async () => {
    const requestId = await lostStep(bot, incidentId, quinn, 'block', 40);
    // The PATCH reached Entra before the bot died.
    sandboxSecurity(bot).accountEnabled.set(quinn.id, false);

    const answers = await Promise.all([
      press('containment.recheck', requestId),
      press('containment.recheck', requestId),
    ]);

    assert.match(cardText(answers[0].body.value), /Block sign-in: done \(checked in Entra/);
    assert.equal((await executedRecords(requestId)).length, 1);
  });

  it('records the block as not done when Entra shows sign-in still allowed', async () => {
    const requestId = await lostStep(bot, incidentId, casey, 'block', 40);

    const answer = await press('containment.recheck', requestId);

    assert.match(cardText(answer.body.value), /Block sign-in: not done \(checked in Entra/);
    assert.match((await executedRecords(requestId))[0].outcome, /sign-in is allowed/);
  });

  it('changes nothing when someone outside the responders group presses it', async () => {
    const requestId = await lostStep(bot, incidentId, quinn, 'enable', 40);

    const answer = await press('containment.recheck', requestId, riley);

    const [execution] = await securityStore(bot).listExecutions(requestId);
    assert.match(answer.body.value, /Not allowed: only members of the security responders group/);
    assert.equal(execution.state, 'executing');
  });

  it('says a lost revoke cannot be read back, and offers no re-check for it', async () => {
    const requestId = await lostStep(bot, incidentId, quinn, 'revoke', 40);

    const text = cardText((await press('containment.show', requestId, avery)).body.value);

    assert.match(
      text,
      /cannot read Revoke sessions, Confirm compromised or Dismiss risk back: check them in Entra/,
    );
    assert.doesNotMatch(text, /Check Entra again/);
  });

  it('shows the lost outcome on the account row of the security card', async () => {
    const fresh = await declareIncident(bot, 'Token replay sev2');
    await lostStep(bot, fresh, quinn, 'enable', 45);

    const answer = await bot.send(pressAs(avery, 'security.show', { incidentId: fresh }));

    const row = accountRowText(answer.body.value, quinn.displayName);
    assert.match(row, /Re-enable outcome not known since .+: check Entra/);
  });
});
