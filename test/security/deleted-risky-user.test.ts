import assert from 'node:assert/strict';
import { BotHarness, cardText } from '../support/bot-harness';
import {
  accountButton,
  accountRowText,
  declareIncident,
  graphFixture,
  pressAs,
  SANDBOX_USERS,
  sandboxSecurity,
  startSecurityBot,
  requestIdOf,
} from './security-kit';

const { avery, jordan, quinn } = SANDBOX_USERS;
const RISKY = graphFixture('05-riskyusers-deleted-and-processing');
const [RECORDED] = (RISKY.body as { value: Array<{ id: string; userDisplayName: string }> }).value;

describe('a risky user Entra ID deleted, still processing, with a 2016 risk (G05)', () => {
  let bot: BotHarness;
  let incidentId: string;

  before(async () => {
    bot = await startSecurityBot();
    incidentId = await declareIncident(bot, 'Mailbox takeover sev1');
  });

  after(() => bot.stop());

  beforeEach(() => {
    // The recorded user next to Quinn, whom containment may act on: what is left out is then
    // left out for being deleted, not because nothing could be contained.
    const quinnAtRisk = sandboxSecurity(bot).riskyUsers.get(quinn.id);
    bot.graph.serveFixture(
      { ...RISKY, body: { value: [quinnAtRisk, RECORDED] } },
      { path: /\/identityProtection\/riskyUsers$/, times: 50 },
    );
  });

  afterEach(() => bot.graph.clearFaults());

  async function securityCard() {
    return (await bot.send(pressAs(avery, 'security.show', { incidentId }))).body.value;
  }

  /** The requests the sandbox Graph got from the `since`-th on that name `id`, in path or body. */
  function graphCallsFor(id: string, since = 0) {
    return bot.graph.requests
      .slice(since)
      .filter((r) => `${r.path} ${JSON.stringify(r.body)}`.includes(id));
  }

  it('offers no button for the deleted account, while Quinn has his', async () => {
    const card = JSON.stringify(await securityCard());

    const buttonsFor = (id: string) => card.split(`"accountId":"${id}"`).length - 1;
    assert.equal(buttonsFor(RECORDED.id), 0);
    assert.ok(buttonsFor(quinn.id) > 0, 'Quinn has buttons');
  });

  it('flags the 2016 risk as stale and its processing as pending, and Quinn’s as neither', async () => {
    const card = await securityCard();

    assert.match(
      accountRowText(card, RECORDED.userDisplayName),
      /updated 29 Jan 2016, 20:03 \\\(UTC\\\) \\\(stale\\\) · .* · risk still processing \\\(pending\\\)/,
    );
    assert.doesNotMatch(accountRowText(card, quinn.displayName), /stale|pending/);
  });

  it('leaves it out of Contain all, which acts on Quinn alone, with no Graph call for it', async () => {
    const since = bot.graph.requests.length;
    const all = { incidentId, scope: 'all', cardId: 'all-g05', stepBlock: 'true' };
    const steps = { ...all, stepRevoke: 'true', stepConfirm: 'true' };
    const requested = await bot.send(pressAs(avery, 'containment.request', steps));

    const answer = await bot.send(
      pressAs(jordan, 'containment.approve', {
        incidentId,
        requestId: requestIdOf(requested.body.value),
      }),
    );

    assert.match(
      cardText(answer.body.value),
      /for 1 accounts[^]*Accounts and steps\nQuinn Fictional\n · Block sign-in: done/,
    );
    assert.deepEqual(graphCallsFor(RECORDED.id, since), []);
  });

  it('refuses a forged button naming it, with no Graph write for it', async () => {
    const since = bot.graph.requests.length;
    const answers: string[] = [];
    for (const action of ['block', 'revoke', 'confirm']) {
      const data = accountButton(incidentId, RECORDED.id, action);
      answers.push((await bot.send(pressAs(avery, 'containment.request', data))).body.value);
    }

    // Looking the account up is all the bot does: Graph answers 404, and nothing is written.
    assert.deepEqual(
      answers,
      Array(3).fill('That account no longer exists in Entra ID; nothing was done.'),
    );
    assert.deepEqual(
      graphCallsFor(RECORDED.id, since).map((r) => r.method),
      ['GET', 'GET', 'GET'],
    );
  });
});
