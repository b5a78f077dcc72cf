import assert from 'node:assert/strict';
import { BotHarness, cardText } from '../support/bot-harness';
import {
  accountButton,
  declareIncident,
  postedCardShowing,
  postedTexts,
  pressAs,
  pressOnPosted,
  SANDBOX_USERS,
  sandboxSecurity,
  startSecurityBot,
  writes,
  requestIdOf,
} from './security-kit';

const { avery, jordan, morgan, quinn } = SANDBOX_USERS;
const QUINN_PATH = new RegExp(`^/v1\\.0/users/${quinn.id}$`);
const QUINN_REVOKE = `/v1.0/users/${quinn.id}/revokeSignInSessions`;

/** Avery asks to block Quinn; the request waits for a second responder. */
async function requestBlock(bot: BotHarness, incidentId: string): Promise<string> {
  const data = accountButton(incidentId, quinn.id, 'block');
  const answer = await bot.send(pressAs(avery, 'containment.request', data));
  return requestIdOf(answer.body.value);
}

describe('containment steps that outlast the press (a slow Graph)', () => {
  let bot: BotHarness;
  let incidentId: string;

  before(async () => {
    bot = await startSecurityBot();
    incidentId = await declareIncident(bot, 'Session hijack sev1');
  });

  after(() => bot.stop());

  afterEach(() => bot.graph.clearFaults());

  it('answers an approval while Graph still holds the PATCH, showing the step in progress', async () => {
    const requestId = await requestBlock(bot, incidentId);
    const held = bot.graph.hold('PATCH', QUINN_PATH);

    const answer = await bot.send(
      pressAs(jordan, 'containment.approve', { incidentId, requestId }),
    );

    const waitingAtAnswer = held.waiting;
    assert.equal(waitingAtAnswer, 1, 'the answer came while the sandbox held the PATCH');
    assert.match(
      cardText(answer.body.value),
      /approved: in progress[\s\S]*Block sign-in: in progress/,
    );
  });

  it('updates the posted request card to done once Graph answers', async () => {
    const requestId = await requestBlock(bot, incidentId);
    const held = bot.graph.hold('PATCH', QUINN_PATH);
    const { activity, postedId } = pressOnPosted(jordan, 'containment.approve', {
      incidentId,
      requestId,
    });
    await bot.send(activity);

    held.release();
    await postedCardShowing(bot, postedId, /Block sign-in: done/);

    const done = postedTexts(bot, postedId).map((text) => /Block sign-in: done/.test(text));
    assert.deepEqual(done, [false, true], 'first in progress, then done');
    assert.equal(sandboxSecurity(bot).accountEnabled.get(quinn.id), false);
  });

  it('shows a second approver the step in progress, then done on their own card', async () => {
    const requestId = await requestBlock(bot, incidentId);
    const held = bot.graph.hold('PATCH', QUINN_PATH);
    const patches = writes(bot, 'PATCH', QUINN_PATH).length;
    await bot.send(pressAs(jordan, 'containment.approve', { incidentId, requestId }));
    const second = pressOnPosted(morgan, 'containment.approve', { incidentId, requestId });

    const answer = await bot.send(second.activity);
    held.release();
    await postedCardShowing(bot, second.postedId, /Block sign-in: done/);

    assert.match(cardText(answer.body.value), /Block sign-in: in progress/);
    assert.equal(writes(bot, 'PATCH', QUINN_PATH).length, patches + 1);
  });

  it('answers a Revoke sessions press with the call in progress, and posts "done" later', async () => {
    const held = bot.graph.hold('POST', QUINN_REVOKE);
    const data = accountButton(incidentId, quinn.id, 'revoke');
    const { activity, postedId } = pressOnPosted(morgan, 'containment.request', data);

    const answer = await bot.send(activity);
    const waitingAtAnswer = held.waiting;
    held.release();

    assert.deepEqual(
      [waitingAtAnswer, /Revoke sessions: in progress/.test(cardText(answer.body.value))],
      [1, true],
    );
    assert.match(await postedCardShowing(bot, postedId, /./), /Revoke sessions: in progress/);
    await postedCardShowing(bot, postedId, /Revoke sessions: done/);
  });

  it('answers "Contain all" with the steps done so far and the rest still to come', async () => {
    const fresh = await declareIncident(bot, 'Token theft across accounts sev1');
    const all = { incidentId: fresh, scope: 'all', cardId: 'all-slow', stepBlock: 'true' };
    const requested = await bot.send(
      pressAs(avery, 'containment.request', { ...all, stepRevoke: 'true' }),
    );
    const requestId = requestIdOf(requested.body.value);
    const held = bot.graph.hold('POST', QUINN_REVOKE);
    const { activity, postedId } = pressOnPosted(jordan, 'containment.approve', {
      incidentId: fresh,
      requestId,
    });

    const answer = await bot.send(activity);
    held.release();
    const final = await postedCardShowing(bot, postedId, /Contained: Quinn Fictional/);

    assert.match(
      cardText(answer.body.value),
      /Quinn Fictional\n · Block sign-in: done \([^)]+\); Revoke sessions: in progress/,
    );
    assert.match(final, /Block sign-in: done \([^)]+\); Revoke sessions: done/);
  });
});

describe('stopping the bot while a containment step runs', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await startSecurityBot();
  });

  // The test stops the app itself; what is left is the sandbox and the fake connector.
  after(async () => {
    await bot.graph.close();
    await bot.connector.stop();
  });

  it('waits for the step to end and its card to be posted before it closes the store', async () => {
    const incidentId = await declareIncident(bot, 'Privileged account takeover sev1');
    const requestId = await requestBlock(bot, incidentId);
    const held = bot.graph.hold('PATCH', QUINN_PATH);
    const { activity, postedId } = pressOnPosted(jordan, 'containment.approve', {
      incidentId,
      requestId,
    });
    await bot.send(activity);
    const events: string[] = [];

    const stopped = bot.app.stop().then(() => events.push('stopped'));
    await refusesConnections(bot.app.url);
    events.push('Graph answered');
    held.release();
    await stopped;

    assert.deepEqual(events, ['Graph answered', 'stopped']);
    assert.match(postedTexts(bot, postedId).at(-1) ?? '', /Block sign-in: done/);
  });
});

/** Resolves once the app's listener is closed: stop() is under way. */
async function refusesConnections(url: string): Promise<void> {
  for (;;) {
    try {
      await fetch(`${url}/healthz`);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
