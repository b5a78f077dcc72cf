import assert from 'node:assert/strict';
import { assertTransition } from '../../src/incidents/incident';
import { ConflictError } from '../../src/errors';

describe('incident lifecycle', () => {
  it('lets a resolved incident reopen', () => {
    assert.doesNotThrow(() => assertTransition('resolved', 'investigating'));
  });

  it('closes only after resolving', () => {
    assert.throws(() => assertTransition('investigating', 'closed'), ConflictError);
  });

  it('never changes a closed incident', () => {
    assert.throws(
      () => assertTransition('closed', 'investigating'),
      /closed and can no longer change/,
    );
  });
});
