import assert from 'node:assert/strict';
import { BotHarness, cardText } from '../support/bot-harness';
import {
  accountButton,
  accountRowText,
  declareIncident,
  graphFixture,
  pressAs,
  SANDBOX_USERS,
  securityStore,
  startSecurityBot,
  writes,
  requestIdOf,
} from './security-kit';

const { avery, jordan, morgan, quinn, casey, riley } = SANDBOX_USERS;
const QUINN_PATH = new RegExp(`/users/${quinn.id}$`);

describe('containment through the HTTP endpoint (two-person approval)', () => {
  let bot: BotHarness;
  let incidentId: string;

  before(async () => {
    bot = await startSecurityBot();
    incidentId = await declareIncident(bot, 'Mailbox takeover sev1');
  });

  after(() => bot.stop());

  async function requestBlock(user = avery, accountId = quinn.id) {
    const data = accountButton(incidentId, accountId, 'block');
    const answer = await bot.send(pressAs(user, 'containment.request', data));
    return answer.body;
  }

  it('changes nothing when someone outside the responders group presses Block', async () => {
    const answer = await requestBlock(riley);

    const audit = await securityStore(bot).listAudit(incidentId, 10);
    assert.match(answer.value, /Not allowed: only members of the security responders group/);
    assert.equal(writes(bot, 'PATCH', /\/users\//).length, 0);
    assert.ok(audit.some((r) => r.event === 'refused' && r.actor.id === riley.id));
  });

  it('changes nothing on a request alone: it waits, pending, for a second responder', async () => {
    const answer = await requestBlock();

    assert.match(cardText(answer.value), /waiting for a second security responder/);
    assert.equal(writes(bot, 'PATCH', QUINN_PATH).length, 0);
  });

  it('changes nothing when the requester approves their own request', async () => {
    const requestId = requestIdOf((await requestBlock()).value);

    const answer = await bot.send(pressAs(avery, 'containment.approve', { incidentId, requestId }));

    const request = await securityStore(bot).getRequest(requestId);
    assert.match(answer.body.value, /another security responder must approve/);
    assert.equal(request?.state, 'pending');
    assert.equal(writes(bot, 'PATCH', QUINN_PATH).length, 0);
  });

  it('makes exactly one PATCH for six simultaneous approvals by a second responder', async () => {
    const requestId = requestIdOf((await requestBlock()).value);

    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        bot.send(pressAs(jordan, 'containment.approve', { incidentId, requestId })),
      ),
    );

    assert.equal(writes(bot, 'PATCH', QUINN_PATH).length, 1);
    for (const answer of answers) assert.match(cardText(answer.body.value), /Block sign-in: done/);
  });

  it('makes one request of a double click on the same card', async () => {
    const data = accountButton(incidentId, quinn.id, 'revoke');
    const before = writes(bot, 'POST', /revokeSignInSessions$/).length;

    await Promise.all([
      bot.send(pressAs(morgan, 'containment.request', data)),
      bot.send(pressAs(morgan, 'containment.request', data)),
    ]);

    assert.equal(writes(bot, 'POST', /revokeSignInSessions$/).length, before + 1);
  });

  it('refuses to block a protected account before calling Graph', async () => {
    const answer = await requestBlock(avery, casey.id);

    assert.match(answer.value, /refused for this account: it is a protected/);
    assert.equal(bot.graph.requests.filter((r) => r.path.includes(casey.id)).length, 0);
  });

  it('refuses to let a responder block their own account', async () => {
    const answer = await requestBlock(morgan, morgan.id);

    assert.match(answer.value, /account of a responder acting on it/);
    assert.equal(writes(bot, 'PATCH', new RegExp(morgan.id)).length, 0);
  });

  it('never touches a protected account in "Contain all" and says who was not contained', async () => {
    const data = {
      incidentId,
      scope: 'all',
      cardId: 'all-1',
      stepBlock: 'true',
      stepRevoke: 'false',
    };
    const requested = await bot.send(pressAs(avery, 'containment.request', data));
    const requestId = requestIdOf(requested.body.value);

    const answer = await bot.send(
      pressAs(jordan, 'containment.approve', { incidentId, requestId }),
    );

    const text = cardText(answer.body.value);
    assert.match(text, /Contained: Quinn Fictional\. Not \\\(fully\\\) contained: Casey Demo\./);
    assert.equal(bot.graph.requests.filter((r) => r.path.includes(casey.id)).length, 0);
  });

  it('shows a 403 on revoke as a failure naming the permission and the request id', async () => {
    bot.graph.serveFixture(graphFixture('09-403-revoke-sessions-denied'), {
      method: 'POST',
      path: `/v1.0/users/${quinn.id}/revokeSignInSessions`,
    });

    const data = accountButton(incidentId, quinn.id, 'revoke');
    const answer = await bot.send(pressAs(jordan, 'containment.request', data));

    const text = cardText(answer.body.value);
    assert.match(
      text,
      /Revoke sessions: failed: insufficient permission; the app needs User\.RevokeSessions\.All/,
    );
    assert.match(text, /4da6bef4-83fe-4b96-9411-6d5d09949d7e/);
  });

  it('does nothing for a rejected request, even when approved afterwards', async () => {
    const requestId = requestIdOf((await requestBlock()).value);
    const patches = writes(bot, 'PATCH', QUINN_PATH).length;

    await bot.send(pressAs(jordan, 'containment.reject', { incidentId, requestId }));
    const late = await bot.send(pressAs(morgan, 'containment.approve', { incidentId, requestId }));

    assert.match(cardText(late.body.value), /rejected: nothing was done/);
    assert.equal(writes(bot, 'PATCH', QUINN_PATH).length, patches);
  });

  it('does nothing for an expired request and records that it lapsed', async () => {
    const requestId = requestIdOf((await requestBlock()).value);
    await bot.app.store.database
      .updateTable('containment_requests')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .where('id', '=', requestId)
      .execute();

    const answer = await bot.send(
      pressAs(jordan, 'containment.approve', { incidentId, requestId }),
    );

    const audit = await securityStore(bot).listAudit(incidentId, 50);
    assert.match(cardText(answer.body.value), /expired: nothing was done/);
    assert.ok(audit.some((r) => r.event === 'expired' && r.requestId === requestId));
  });

  it('shows a blocked account as blocked on the security card, from what the server recorded', async () => {
    const requestId = requestIdOf((await requestBlock()).value);
    await bot.send(pressAs(jordan, 'containment.approve', { incidentId, requestId }));

    const answer = await bot.send(pressAs(morgan, 'security.show', { incidentId }));

    const row = accountRowText(answer.body.value, quinn.displayName);
    const line = row.split('\n').find((text) => text.startsWith('Containment:'));
    assert.match(line ?? '', /^Containment: blocked \d{2} \w{3} \d{4}, \d{2}:\d{2} · /);
    assert.match(line ?? '', /\\\(UTC\\\)$/);
  });
});
