import assert from 'node:assert/strict';
import { BotHarness, cardText } from '../support/bot-harness';
import {
  accountButton,
  accountRowText,
  declareIncident,
  graphFixture,
  postedCardShowing,
  postedTexts,
  pressAs,
  pressOnPosted,
  SANDBOX_USERS,
  sandboxSecurity,
  startSecurityBot,
  writes,
} from './security-kit';

const { avery, jordan, quinn } = SANDBOX_USERS;

describe('containment results as Graph really answered', () => {
  let bot: BotHarness;
  let incidentId: string;

  before(async () => {
    bot = await startSecurityBot({ env: { CONTAINMENT_APPROVAL: 'single' } });
    incidentId = await declareIncident(bot, 'Consent phishing sev2');
  });

  after(() => bot.stop());

  afterEach(() => bot.graph.clearFaults());

  function press(action: string, extra: Record<string, unknown> = {}) {
    const verb =
      action === 'enable' || action === 'dismiss' ? 'containment.undo' : 'containment.request';
    const data = { ...accountButton(incidentId, quinn.id, action), ...extra };
    return bot.send(pressAs(jordan, verb, data));
  }

  it('asks for a reason before one person blocks alone (CONTAINMENT_APPROVAL=single)', async () => {
    const answer = await press('block');

    assert.match(answer.body.value, /Give a reason/);
    assert.equal(writes(bot, 'PATCH', /\/users\//).length, 0);
  });

  it('blocks at once with a reason and records the reason', async () => {
    const answer = await press('block', { reason: 'MFA fatigue confirmed by the user' });

    assert.match(cardText(answer.body.value), /Block sign-in: done/);
    assert.equal(sandboxSecurity(bot).accountEnabled.get(quinn.id), false);
  });

  it('counts the 200 with a body that revoke answers as success', async () => {
    const answer = await press('revoke');

    assert.match(cardText(answer.body.value), /Revoke sessions: done/);
    assert.equal(sandboxSecurity(bot).revocations.get(quinn.id), 1);
  });

  it('says the account no longer exists on a 404 and calls Graph once', async () => {
    bot.graph.serveFixture(graphFixture('14-404-request-resource-not-found'), {
      method: 'POST',
      path: /\/revokeSignInSessions$/,
    });
    const before = writes(bot, 'POST', /revokeSignInSessions$/).length;

    const answer = await press('revoke');

    assert.match(cardText(answer.body.value), /not applicable: the account no longer exists/);
    assert.equal(writes(bot, 'POST', /revokeSignInSessions$/).length, before + 1);
  });

  it('retries a 429 after its Retry-After and reports the step done', async () => {
    bot.graph.serveFixture(graphFixture('11-429-throttled-retry-after'), {
      method: 'PATCH',
      path: `/v1.0/users/${quinn.id}`,
    });
    const before = writes(bot, 'PATCH', /\/users\//).length;

    const answer = await press('enable');

    assert.match(cardText(answer.body.value), /Re-enable: done/);
    assert.equal(writes(bot, 'PATCH', /\/users\//).length, before + 2);
  });

  it('retries a 500 within bounds, then shows the failure and never "done"', async () => {
    bot.graph.failAlways('POST', /\/riskyUsers\/dismiss$/, 500);
    const before = writes(bot, 'POST', /dismiss$/).length;
    const data = accountButton(incidentId, quinn.id, 'dismiss');
    const { activity, postedId } = pressOnPosted(jordan, 'containment.undo', data);

    // The retries' waits outlast the answer: the posted card shows how they ended.
    await bot.send(activity);
    const text = await postedCardShowing(bot, postedId, /Dismiss risk: failed/);

    assert.match(text, /Dismiss risk: failed: Microsoft Graph error 500 after retries/);
    assert.ok(
      writes(bot, 'POST', /dismiss$/).length - before > 1 &&
        !postedTexts(bot, postedId).some((posted) => /Dismiss risk: done/.test(posted)),
    );
  });

  it('keeps an account whose risk was dismissed on the security card, saying so', async () => {
    await press('dismiss');

    const answer = await bot.send(pressAs(jordan, 'security.show', { incidentId }));

    const row = accountRowText(answer.body.value, quinn.displayName);
    assert.match(row, /Not at risk now in Entra ID Protection or the alerts/);
    assert.match(row, /Containment: .*risk dismissed \d{2} \w{3} \d{4}/);
  });

  it('shows the request card times in the zone Teams reports for the presser', async () => {
    const data = accountButton(incidentId, quinn.id, 'revoke');
    const press = pressAs(jordan, 'containment.request', data);
    const entities = [{ type: 'clientInfo', locale: 'en-US', timezone: 'America/Los_Angeles' }];

    const answer = await bot.send({ ...press, entities });

    const text = cardText(answer.body.value);
    assert.match(text, /Requested by\nJordan Sample, .+ \\\(America\/Los\\_Angeles\\\)/);
    assert.match(text, /Decided by\nJordan Sample, .+ \\\(America\/Los\\_Angeles\\\)/);
  });

  it('records every request and result in the audit with its Graph request id', async () => {
    await bot.send(pressAs(avery, 'security.audit', { incidentId }));
    const answer = await bot.send(pressAs(avery, 'security.audit', { incidentId }));

    const text = cardText(answer.body.value);
    assert.match(
      text,
      /Jordan Sample\n ran Block sign-in for Quinn Fictional: done \(Graph request id [0-9a-f-]{36}\)/,
    );
    assert.match(text, /requested Block sign-in for Quinn Fictional: started; reason: MFA fatigue/);
  });

  it('puts containment results on the incident timeline', async () => {
    const timeline = await bot.app.store.listTimeline(incidentId, { offset: 0, limit: 50 });

    const security = timeline.filter((entry) => entry.kind === 'security').map((e) => e.text);
    assert.ok(security.some((text) => /^Block sign-in for Quinn Fictional: done/.test(text)));
    assert.ok(
      security.some((text) => /^Revoke sessions for Quinn Fictional: not applicable/.test(text)),
    );
  });
});
