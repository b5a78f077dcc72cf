import assert from 'node:assert/strict';
import { renderSecurityOverview } from '../../src/cards/security-cards';
import type { AccountAtRisk } from '../../src/security/evidence';
import { makeIncident } from '../store/helpers';

const VIEW = { now: new Date('2026-03-10T14:30:00Z'), mode: 'two-person' as const };

function account(id: number, riskState: string): AccountAtRisk {
  return {
    id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    upn: `user${id}@contoso.example`,
    name: `User ${id}`,
    riskLevel: 'high',
    riskState,
    isDeleted: false,
    isProcessing: false,
    fromEvidence: false,
  };
}

/** Every TextBlock text in the card, in order. */
function texts(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((child) => texts(child, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'text' && typeof value === 'string') found.push(value);
      else texts(value, found);
    }
  }
  return found;
}

describe('renderSecurityOverview()', () => {
  it('shows each account risk state in words rather than as the Graph value', () => {
    const accounts = [account(1, 'atRisk'), account(2, 'ConfirmedCompromised')];
    const overview = { accounts, requests: [], problems: [] };

    const card = renderSecurityOverview(makeIncident(), overview, {
      ...VIEW,
      protectedAccounts: [],
    });

    const statuses = texts(card).filter((text) => text.startsWith('Risk high'));
    assert.deepEqual(statuses, ['Risk high · At risk', 'Risk high · Confirmed compromised']);
    assert.ok(!texts(card).some((text) => /atRisk|ConfirmedCompromised/.test(text)));
  });
});
