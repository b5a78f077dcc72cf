import assert from 'node:assert/strict';
import { cleanMessageText, htmlToText } from '../../src/teams/message-text';
import { loadTeamsFixture } from '../support/bot-harness';

describe('cleanMessageText', () => {
  it('removes the bot mention found by id even when its name differs (T01)', () => {
    const activity = loadTeamsFixture('01-channel-mention-no-space-mention-name-differs.json');

    const clean = cleanMessageText(activity.text, activity.entities, activity.recipient.id);

    assert.equal(clean.text, '1');
    assert.equal(clean.botMentioned, true);
  });

  it('rebuilds one person from a name split into three mention tags (T20)', () => {
    const activity = loadTeamsFixture('20-rsc-split-mention-one-user-three-entities.json');

    const clean = cleanMessageText(activity.text, activity.entities, activity.recipient.id);

    assert.deepEqual(
      clean.people.map((person) => person.name),
      ['Zzzz Ee Aaaa'],
    );
    assert.equal(clean.botMentioned, false);
  });

  it('keeps a person mention whose entity text is not in the message (T12)', () => {
    const activity = loadTeamsFixture('12-channel-reply-mention-entity-text-mismatch.json');

    const clean = cleanMessageText(activity.text, activity.entities, activity.recipient.id);

    assert.equal(clean.text, 'Hey @Jordan Sample check out this message');
    assert.equal(clean.people[0].teamsId, '29:67d8x0r4eq75mg62jfsuj');
  });

  it('turns &nbsp; and entities into plain characters', () => {
    const clean = cleanMessageText(
      '<at>Bot</at>&nbsp;note R&amp;D&nbsp;&lt;EU&gt;',
      [{ type: 'mention', text: '<at>Bot</at>', mentioned: { id: '28:bot' } }],
      '28:bot',
    );

    assert.equal(clean.text, 'note R&D <EU>');
  });
});

describe('htmlToText', () => {
  it('strips tags and decodes entities from a message action body (T15)', () => {
    const activity = loadTeamsFixture('15-me-message-action-messagepayload.json');

    assert.equal(
      htmlToText(activity.value.messagePayload.body.content),
      'Legacy Pager Webhook - Hi',
    );
  });
});
