import assert from 'node:assert/strict';
import { accountContainment } from '../../src/security/account-containment';
import type { ContainmentRequest, Execution } from '../../src/security/containment';

const QUINN = {
  id: '11111111-0000-4000-8000-000000000001',
  upn: 'quinn@contoso.example',
  name: 'Quinn',
};

const REQUEST: ContainmentRequest = {
  id: 'r1',
  tenantId: 't',
  incidentId: 'i',
  scope: 'account',
  actions: ['block'],
  accounts: [QUINN],
  requestedBy: { id: 'a', name: 'Ana' },
  reason: '',
  state: 'approved',
  createdAt: '2026-03-10T14:00:00.000Z',
  expiresAt: '2026-03-10T14:30:00.000Z',
  decidedBy: { id: 'b', name: 'Bob' },
  decidedAt: '2026-03-10T14:01:00.000Z',
};

function step(action: Execution['action'], state: Execution['state'], minute: number): Execution {
  return {
    requestId: 'r1',
    accountId: QUINN.id,
    action,
    state,
    detail: state,
    httpStatus: null,
    graphRequestId: null,
    updatedAt: `2026-03-10T14:${String(minute).padStart(2, '0')}:00.000Z`,
  };
}

describe('accountContainment()', () => {
  it('keeps an account blocked when a later re-enable failed, and says it failed', () => {
    const [quinn] = accountContainment(
      [REQUEST],
      [step('block', 'succeeded', 2), step('enable', 'failed', 5)],
    );

    assert.equal(quinn.account.name, 'Quinn');
    assert.deepEqual(
      quinn.facts.map((fact) => `${fact.action} ${fact.state}`),
      ['block succeeded', 'enable failed'],
    );
  });

  it('lets a later re-enable replace a block and ignores skipped steps', () => {
    const [quinn] = accountContainment(
      [REQUEST],
      [step('block', 'succeeded', 2), step('enable', 'succeeded', 5), step('block', 'skipped', 7)],
    );

    assert.deepEqual(
      quinn.facts.map((fact) => `${fact.action} ${fact.state}`),
      ['enable succeeded'],
    );
    assert.equal(quinn.latestAt, '2026-03-10T14:05:00.000Z');
  });
});
