import assert from 'node:assert/strict';
import { charCount, lengthProblem } from '../../src/incidents/text-length';

describe('charCount', () => {
  it('counts an emoji as one character, as its writer does', () => {
    assert.equal('🔥'.length, 2);
    assert.equal(charCount('🔥 ok'), 4);
  });

  it('counts an emoji with a skin tone, a flag or joined people as one character', () => {
    assert.equal(charCount('👍🏽🇬🇧👨‍👩‍👧'), 3);
    assert.equal('👍🏽🇬🇧👨‍👩‍👧'.length, 16);
  });
});

describe('lengthProblem', () => {
  it('names the limit and the length of a text over it', () => {
    assert.equal(
      lengthProblem('A note', 'x'.repeat(11), 10),
      'A note is at most 10 characters; this one has 11.',
    );
  });

  it('finds no problem with a text at the limit in emoji', () => {
    assert.equal(lengthProblem('A note', '🔥'.repeat(10), 10), undefined);
  });
});
