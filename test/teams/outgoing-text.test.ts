import assert from 'node:assert/strict';
import { keepAngleBrackets, toActivity } from '../../src/teams/sender';

describe('outgoing text', () => {
  it('shows placeholders in angle brackets instead of letting Teams read them as HTML', () => {
    assert.equal(keepAngleBrackets('Use: update <text>'), 'Use: update ‹text›');
  });

  it('keeps mention tags intact', () => {
    const activity = toActivity({
      text: '<at>Jordan Sample</at> is now the ops lead of INC-0001 <EU>.',
      mentions: [{ id: '29:jordan', name: 'Jordan Sample' }],
    });

    assert.equal(activity.text, '<at>Jordan Sample</at> is now the ops lead of INC-0001 ‹EU›.');
  });
});
