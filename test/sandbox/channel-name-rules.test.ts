import assert from 'node:assert/strict';
import {
  channelNameProblem,
  INVALID_CHARACTERS_MESSAGE,
} from '../../src/sandbox/channel-name-rules';

describe('channelNameProblem', () => {
  it('accepts an ordinary incident name of 50 characters', () => {
    assert.equal(
      channelNameProblem('INC-42 Checkout latency in EU-West after deploy 7'),
      undefined,
    );
    assert.equal(channelNameProblem('x'.repeat(50)), undefined);
  });

  it('refuses a name longer than 50 characters', () => {
    assert.match(channelNameProblem('x'.repeat(51)) ?? '', /50 characters/);
  });

  it('counts a character outside the BMP once, not as two UTF-16 units', () => {
    assert.equal(channelNameProblem('𝔸'.repeat(50)), undefined);
    assert.notEqual(channelNameProblem('𝔸'.repeat(51)), undefined);
  });

  it('refuses every reserved character', () => {
    for (const character of `~#%&*{}+/\\:<>?|'"`) {
      assert.equal(channelNameProblem(`INC ${character} 1`), INVALID_CHARACTERS_MESSAGE, character);
    }
  });

  it('refuses emoji, including flags', () => {
    assert.equal(channelNameProblem('Sales Rep 📪📮 Channel'), INVALID_CHARACTERS_MESSAGE);
    assert.equal(channelNameProblem('Outage 🇩🇪'), INVALID_CHARACTERS_MESSAGE);
  });

  it('refuses a leading underscore or period and a trailing period', () => {
    assert.equal(channelNameProblem('_incident'), INVALID_CHARACTERS_MESSAGE);
    assert.equal(channelNameProblem('.incident'), INVALID_CHARACTERS_MESSAGE);
    assert.equal(channelNameProblem('incident.'), INVALID_CHARACTERS_MESSAGE);
  });

  it('refuses an empty name and a reserved word', () => {
    assert.notEqual(channelNameProblem('   '), undefined);
    assert.equal(channelNameProblem('CON'), INVALID_CHARACTERS_MESSAGE);
  });
});
