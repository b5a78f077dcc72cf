import assert from 'node:assert/strict';
import { channelNameFor } from '../../src/incidents/channel-name';
import { channelNameProblem } from '../../src/sandbox/channel-name-rules';

describe('channelNameFor', () => {
  it('drops emoji and reserved characters so Teams accepts the name (G16)', () => {
    const name = channelNameFor(7, 'Sales Rep 📪📮 Channel ~#%&*{}+/\\:<>?|\'"');

    assert.equal(name, 'INC-0007 Sales Rep Channel');
    assert.equal(channelNameProblem(name), undefined);
  });

  it('keeps to 50 characters, cutting at a word', () => {
    const name = channelNameFor(
      1234,
      'Exchange Online message trace shows delays for all European mailboxes',
    );

    assert.ok(name.length <= 50, name);
    assert.equal(name, 'INC-1234 Exchange Online message trace shows');
  });

  it('falls back to the number alone for a title of only emoji', () => {
    assert.equal(channelNameFor(3, '🔥🔥👩‍🚒'), 'INC-0003');
  });
});
