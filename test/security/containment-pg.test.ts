import assert from 'node:assert/strict';
import { BotHarness, cardText } from '../support/bot-harness';
import { postgresTarget, type ScratchDatabase } from '../store/helpers';
import {
  accountButton,
  declareIncident,
  lostStep,
  postedCardShowing,
  pressAs,
  pressOnPosted,
  SANDBOX_USERS,
  sandboxSecurity,
  securityStore,
  startSecurityBot,
  writes,
} from './security-kit';

const { avery, jordan, morgan, quinn } = SANDBOX_USERS;
const QUINN_PATH = new RegExp(`/users/${quinn.id}$`);

// Several connections race here, unlike SQLite's one: the store alone must keep it to one call.
(postgresTarget.enabled ? describe : describe.skip)('containment on PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let bot: BotHarness;
  let incidentId: string;

  before(async () => {
    scratch = await postgresTarget.create();
    bot = await startSecurityBot({ env: { DATABASE_URL: scratch.url } });
    incidentId = await declareIncident(bot, 'Token theft sev1');
  });

  after(async () => {
    await bot?.stop();
    await scratch?.drop();
  });

  it('makes exactly one PATCH for six simultaneous approvals by a second responder', async () => {
    const data = accountButton(incidentId, quinn.id, 'block');
    const requested = await bot.send(pressAs(avery, 'containment.request', data));
    const requestId = /"requestId":"([^"]+)"/.exec(JSON.stringify(requested.body.value))?.[1];

    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        bot.send(pressAs(jordan, 'containment.approve', { incidentId, requestId })),
      ),
    );

    assert.equal(writes(bot, 'PATCH', QUINN_PATH).length, 1);
    for (const answer of answers) assert.match(cardText(answer.body.value), /Block sign-in: done/);
  });

  it('makes one PATCH for six approvals answered while Graph holds it, each card ending done', async () => {
    const data = accountButton(incidentId, quinn.id, 'block');
    const requested = await bot.send(pressAs(avery, 'containment.request', data));
    const requestId = /"requestId":"([^"]+)"/.exec(JSON.stringify(requested.body.value))?.[1];
    const patches = writes(bot, 'PATCH', QUINN_PATH).length;
    const held = bot.graph.hold('PATCH', QUINN_PATH);
    const presses = Array.from({ length: 6 }, () =>
      pressOnPosted(jordan, 'containment.approve', { incidentId, requestId }),
    );

    await Promise.all(presses.map((press) => bot.send(press.activity)));
    held.release();
    await Promise.all(
      presses.map((press) => postedCardShowing(bot, press.postedId, /Block sign-in: done/)),
    );

    assert.equal(writes(bot, 'PATCH', QUINN_PATH).length, patches + 1);
  });

  it('makes one revoke of six simultaneous presses of the same button', async () => {
    const data = accountButton(incidentId, quinn.id, 'revoke');

    await Promise.all(
      Array.from({ length: 6 }, () => bot.send(pressAs(jordan, 'containment.request', data))),
    );

    assert.equal(writes(bot, 'POST', /revokeSignInSessions$/).length, 1);
  });

  it('records a lost step once for six simultaneous re-checks on several connections', async () => {
    const requestId = await lostStep(bot, incidentId, quinn, 'block', 40);
    sandboxSecurity(bot).accountEnabled.set(quinn.id, false);

    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        bot.send(pressAs(morgan, 'containment.recheck', { incidentId, requestId })),
      ),
    );

    const audit = await securityStore(bot).listAudit(incidentId, 100);
    const recorded = audit.filter((r) => r.event === 'executed' && r.requestId === requestId);
    assert.equal(recorded.length, 1);
    for (const answer of answers) {
      assert.match(cardText(answer.body.value), /Block sign-in: done \(checked in Entra/);
    }
  });
});
