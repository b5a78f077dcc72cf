import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { LOCAL_BOT_NAME } from '../../scripts/playground/local-world';
import { SANDBOX_DEFENDER_INCIDENT_ID } from '../../src/sandbox/security-seed';
import { SANDBOX_USERS } from '../../src/sandbox/seed-tenant';
import {
  clickCardButton,
  openChannel,
  sendMessage,
  waitForCard,
  waitForText,
} from './playground-driver';
import { E2eWorld } from './world';

const TEAM = 'Incident Response';
const SUMMARY = 'Some people see mail arrive up to an hour late; nothing is lost.';

/** Declares an incident in the Incidents channel; resolves with the summary card. */
async function declareIncident(e2e: E2eWorld, text: string, header: string): Promise<Locator> {
  await openChannel(e2e.page, TEAM, 'Incidents');
  await sendMessage(e2e.page, `declare ${text}`, { mention: LOCAL_BOT_NAME });
  return waitForCard(e2e.page, header);
}

/** Sends `text` to the bot in the thread whose root post holds `rootText`. */
function sendInThread(e2e: E2eWorld, rootText: string, text: string): Promise<void> {
  return sendMessage(e2e.page, text, { mention: LOCAL_BOT_NAME, inThreadWith: rootText });
}

/** The account row of a security card: the innermost container naming the person. */
function accountRow(card: Locator, name: string): Locator {
  return card
    .locator('.ac-container')
    .filter({ hasText: name })
    .filter({ has: card.page().getByRole('button', { name: 'Block sign-in', exact: true }) })
    .last();
}

describe('stakeholder updates in the Agents Playground', () => {
  let e2e: E2eWorld;

  before(async () => {
    e2e = await E2eWorld.start();
  });

  after(async () => {
    await e2e?.stop();
  });

  it('posts an update from the incident thread as a card in the Stakeholders channel', async () => {
    await declareIncident(
      e2e,
      'Exchange Online mail delays sev2',
      'INC-0001 · SEV2 · Investigating',
    );
    await sendInThread(e2e, 'INC-0001 · SEV2', `update ${SUMMARY}`);
    await waitForText(e2e.page, /Update 1 for INC-0001 is posted/);

    await openChannel(e2e.page, TEAM, 'Stakeholders');
    const card = await waitForCard(e2e.page, 'INC-0001 · Update 1');
    await e2e.shot('03-stakeholder-update.png');
    const text = await card.innerText();
    assert.ok(text.includes('Exchange Online mail delays') && text.includes(SUMMARY));
    assert.equal(await card.getByRole('button', { name: 'Helpful', exact: true }).count(), 1);
  });

  it('answers a feedback press in place with the presser’s own answer', async () => {
    const card = await waitForCard(e2e.page, 'INC-0001 · Update 1');

    await clickCardButton(card, 'Helpful');

    const answered = await waitForCard(e2e.page, 'You said: Helpful');
    await e2e.shot('04-stakeholder-feedback.png');
    assert.equal(await answered.getByRole('button', { name: '✓ Helpful' }).count(), 1);
    const votes = await e2e.world.app.store.database
      .selectFrom('feedback_votes')
      .select(['voter_id', 'choice'])
      .execute();
    assert.deepEqual(votes, [{ voter_id: SANDBOX_USERS.avery.id, choice: 'helpful' }]);
  });
});

describe('two-person containment in the Agents Playground', () => {
  let e2e: E2eWorld;
  const quinn = SANDBOX_USERS.quinn;

  before(async () => {
    e2e = await E2eWorld.start();
    await declareIncident(
      e2e,
      'Suspicious inbox rules on a mailbox sev1',
      'INC-0001 · SEV1 · Investigating',
    );
    await sendInThread(e2e, 'INC-0001 · SEV1', `security link ${SANDBOX_DEFENDER_INCIDENT_ID}`);
    await waitForText(e2e.page, /is linked to Defender incident/);
  });

  after(async () => {
    await e2e?.stop();
  });

  it('leaves a Block sign-in request waiting for a second responder', async () => {
    await sendInThread(e2e, 'INC-0001 · SEV1', 'security');
    const card = await waitForCard(e2e.page, 'INC-0001 · Security response');

    await clickCardButton(accountRow(card, quinn.displayName), 'Block sign-in');

    const request = await waitForCard(e2e.page, 'waiting for a second security responder');
    await e2e.shot('05-block-requested.png');
    assert.ok((await request.innerText()).includes(`Block sign-in for ${quinn.displayName}`));
    assert.deepEqual(userPatches(e2e), []);
  });

  it('blocks the account once another responder approves the request', async () => {
    // A restart as Jordan starts the Playground empty: the request is found again through the bot.
    await e2e.actAs(SANDBOX_USERS.jordan.id);
    await openChannel(e2e.page, TEAM, 'Incidents');
    await sendMessage(e2e.page, 'INC-0001 security', { mention: LOCAL_BOT_NAME });
    const overview = await waitForCard(e2e.page, '(1 pending)');
    await overview.getByText('Recent containment requests').scrollIntoViewIfNeeded();
    await e2e.shot('06-pending-request-seen-by-jordan.png');
    await clickCardButton(overview, 'Open');
    const request = await waitForCard(e2e.page, 'waiting for a second security responder');

    await clickCardButton(request, 'Approve');

    const done = await waitForCard(e2e.page, /Block sign-in: done/);
    await e2e.shot('07-block-approved.png');
    assert.match(await done.innerText(), /Decided by\s+Jordan Sample/);
    assert.deepEqual(userPatches(e2e), [
      { path: `/v1.0/users/${quinn.id}`, body: { accountEnabled: false } },
    ]);
  });
});

/** Every PATCH of a user the sandbox Graph received, as path and body. */
function userPatches(e2e: E2eWorld) {
  return e2e.world.graph.requests
    .filter((call) => call.method === 'PATCH' && call.path.startsWith('/v1.0/users/'))
    .map((call) => ({ path: call.path, body: call.body }));
}
