import assert from 'node:assert/strict';
import { BotHarness, cardOf, cardText, channelCommand } from '../support/bot-harness';
import {
  declare,
  OTHER_TENANT,
  postUpdate,
  startBot,
  TestClock,
  vote,
  VOTERS,
} from './engagement-kit';

async function feedbackText(bot: BotHarness, incidentNumber: number): Promise<string> {
  await bot.send(channelCommand(`INC-${incidentNumber} feedback`));
  return cardText(cardOf(bot.connector.sent().at(-1)?.body));
}

async function votesOf(bot: BotHarness, updateId: string) {
  return bot.app.store.database
    .selectFrom('feedback_votes')
    .select(['voter_id', 'choice', 'comment'])
    .where('update_id', '=', updateId)
    .execute();
}

describe('stakeholder feedback', () => {
  const clock = new TestClock();
  let bot: BotHarness;
  let incidentNumber: number;
  let incidentId: string;
  let updateId: string;

  before(async () => {
    bot = await startBot({
      clock: clock.read,
      env: { STAKEHOLDER_CHANNEL_ID: '19:stakeholders@thread.tacv2' },
    });
    const incident = await declare(bot, 'Outlook search is slow', 2);
    incidentNumber = incident.number;
    incidentId = incident.id;
    ({ updateId } = await postUpdate(bot, incident.id, {
      summary: 'Search in Outlook takes minutes for some users.',
      workaround: 'Use Outlook on the web.',
    }));
  });

  after(async () => {
    await bot.stop();
  });

  it('puts the four answers and a comment box under the stakeholder post', async () => {
    await bot.connector.waitFor((calls) =>
      calls.some((call) => JSON.stringify(call.body ?? {}).includes('feedback.vote')),
    );
    const post = bot.connector.calls.find((call) =>
      JSON.stringify(call.body ?? {}).includes('feedback.vote'),
    );
    const json = JSON.stringify(post?.body);

    assert.deepEqual(
      [
        ...json.matchAll(
          /"verb":"feedback.vote","data":\{"updateId":"[^"]+","choice":"([a-z-]+)"/g,
        ),
      ].map((match) => match[1]),
      ['still-affected', 'working', 'helpful', 'not-helpful'],
    );
    assert.match(json, /"type":"Input.Text","id":"comment"/);
  });

  it('counts a person who presses twice once, with their later answer', async () => {
    await bot.send(vote(updateId, 'still-affected', VOTERS.kim));
    await bot.send(vote(updateId, 'working', VOTERS.kim, { comment: 'Fine again since 10:00' }));

    const votes = await votesOf(bot, updateId);
    assert.equal(votes.length, 1);
    assert.equal(votes[0].choice, 'working');
  });

  it('answers the press with the stakeholder card as that person sees it', async () => {
    const response = await bot.send(vote(updateId, 'helpful', VOTERS.lee));

    const text = cardText(response.body.value);
    assert.match(text, /You said: Helpful/);
    assert.match(text, /Search in Outlook takes minutes/);
  });

  it('refuses a press from another tenant and changes nothing', async () => {
    const before = await votesOf(bot, updateId);

    const response = await bot.send(
      vote(updateId, 'not-helpful', VOTERS.lee, { tenantId: OTHER_TENANT }),
    );

    assert.match(JSON.stringify(response.body), /That update does not exist/);
    assert.deepEqual(await votesOf(bot, updateId), before);
  });

  it('refuses an answer the buttons do not offer', async () => {
    const response = await bot.send(vote(updateId, 'furious', VOTERS.lee));

    assert.match(JSON.stringify(response.body), /an answer the bot does not know/);
    assert.equal((await votesOf(bot, updateId)).length, 2);
  });

  it('shows the counts and the latest comments in `feedback`', async () => {
    const text = await feedbackText(bot, incidentNumber);

    assert.match(text, /Working for me\n1\nHelpful\n1\nNot helpful\n0/);
    assert.match(text, /Fine again since 10:00/);
  });

  it('shows the counts on the posted summary card', async () => {
    await bot.connector.waitFor((calls) =>
      calls.some(
        (call) =>
          call.method === 'PUT' &&
          /Stakeholder feedback: Still affected 0 · Working for me 1 · Helpful 1/.test(
            cardText(cardOf(call.body)),
          ),
      ),
    );
    const last = bot.connector.updates().at(-1);
    assert.match(cardText(cardOf(last?.body)), /INC-\d{4}/);
  });

  it('writes one timeline digest per incident for a finished UTC day', async () => {
    clock.advanceMinutes(24 * 60);

    await Promise.all([bot.app.engagement.runOnce(), bot.app.engagement.runOnce()]);
    await bot.app.engagement.runOnce();

    const timeline = await bot.app.store.listTimeline(incidentId, { offset: 0, limit: 50 });
    const digests = timeline.filter((entry) => entry.kind === 'feedback');
    assert.equal(digests.length, 1);
    assert.match(digests[0].text, /2026-03-02 \(UTC\): 2 votes/);
  });
});

describe('a burst of stakeholder votes', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await startBot({ env: { STAKEHOLDER_CHANNEL_ID: '19:stakeholders@thread.tacv2' } });
  });

  after(async () => {
    await bot.stop();
  });

  it('folds the summary card edits like button presses, ending on the full counts', async () => {
    const incident = await declare(bot, 'Teams meetings drop', 2);
    const { updateId } = await postUpdate(bot, incident.id, { summary: 'Calls drop after 5 min.' });
    const summaryId = (await bot.app.store.getIncident(incident.id))?.place?.summaryActivityId;
    const summaryEdits = () =>
      bot.connector.updates().filter((call) => call.activityId === summaryId);
    const before = summaryEdits().length;

    const voters = Array.from({ length: 30 }, (_, i) => ({
      id: `00000000-0000-4000-8000-0000000b${String(i).padStart(4, '0')}`,
      name: `Voter ${i}`,
    }));
    await Promise.all(voters.map((voter) => bot.send(vote(updateId, 'still-affected', voter))));
    await bot.connector.waitFor((calls) =>
      calls.some(
        (call) =>
          call.method === 'PUT' &&
          call.activityId === summaryId &&
          /Still affected 30 ·/.test(cardText(cardOf(call.body))),
      ),
    );

    // One edit a second at most (Teams throttles message edits), not one per vote.
    assert.ok(summaryEdits().length - before <= 4, `${summaryEdits().length - before} edits`);
  });
});
