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

  it('keeps line breaks, whether Teams sends them as "\\n" or as <br> and paragraphs', () => {
    const bot = [{ type: 'mention', text: '<at>Bot</at>', mentioned: { id: '28:bot' } }];

    const plain = cleanMessageText(
      '<at>Bot</at> update Mail is delayed.\r\nUse  OWA.',
      bot,
      '28:bot',
    );
    const html = cleanMessageText(
      '<p><at>Bot</at> update Mail is delayed.</p><p>Use OWA<br>until 9:00.</p>',
      bot,
      '28:bot',
    );

    assert.equal(plain.text, 'update Mail is delayed.\nUse OWA.');
    assert.equal(html.text, 'update Mail is delayed.\nUse OWA\nuntil 9:00.');
  });

  it('takes the lines from the HTML twin when the text ran them together', () => {
    const activity = loadTeamsFixture('01-channel-mention-no-space-mention-name-differs.json');
    const mention = activity.attachments[0].content.match(
      /<span[^>]*>Incident Commander<\/span>/,
    )[0];

    const clean = cleanMessageText(
      '<at>Incident Commander</at> update Mail is delayed.Use OWA.',
      activity.entities,
      activity.recipient.id,
      `<p>${mention}&nbsp;update Mail is delayed.</p><p>Use OWA.</p>`,
    );

    assert.equal(clean.text, 'update Mail is delayed.\nUse OWA.');
    assert.equal(clean.botMentioned, true);
  });

  it('keeps to the text when the HTML twin says something else (T13)', () => {
    const activity = loadTeamsFixture('13-personal-chat-html-richtext.json');

    const clean = cleanMessageText(
      activity.text,
      [],
      activity.recipient.id,
      activity.attachments[0].content,
    );

    assert.equal(clean.text, 'Hello IR Bot.Sending bold-italic rich text');
  });

  it('keeps a word whole across the inline formatting of the HTML twin (T13)', () => {
    const activity = loadTeamsFixture('13-personal-chat-html-richtext.json');

    // The same words as the twin but for spaces, so the twin is read, with its space after ".".
    const clean = cleanMessageText(
      'Hello IR Bot.Sending bold-italic rich text.',
      [],
      activity.recipient.id,
      activity.attachments[0].content,
    );

    assert.equal(clean.text, 'Hello IR Bot. Sending bold-italic rich text.');
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
