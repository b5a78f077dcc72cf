import assert from 'node:assert/strict';
import { renderContainmentRequest, renderSecurityOverview } from '../../src/cards/security-cards';
import type { ContainmentRequest } from '../../src/security/containment';
import type { AccountAtRisk, DefenderIncident } from '../../src/security/evidence';
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

/** The value of the fact titled `title`, with the markdown escapes a reader never sees removed. */
function fact(card: Record<string, unknown>, title: string): string | undefined {
  const facts: Array<{ title: string; value: string }> = [];
  const collect = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === 'object') {
      const element = node as { type?: string; facts?: typeof facts };
      if (element.type === 'FactSet') facts.push(...(element.facts ?? []));
      Object.values(node).forEach(collect);
    }
  };
  collect(card);
  return facts.find((item) => item.title === title)?.value.replace(/\\(.)/g, '$1');
}

function decidedRequest(): ContainmentRequest {
  return {
    id: '548beef1-0000-4000-8000-000000000001',
    tenantId: 't',
    incidentId: makeIncident().id,
    scope: 'account',
    actions: ['block'],
    accounts: [{ id: account(1, 'atRisk').id, upn: 'user1@contoso.example', name: 'User 1' }],
    requestedBy: { id: 'aad-ana', name: 'Ana Lopez' },
    reason: '',
    state: 'approved',
    createdAt: '2026-03-10T14:00:00.000Z',
    expiresAt: '2026-03-10T14:30:00.000Z',
    decidedBy: { id: 'aad-bob', name: 'Bob Brown' },
    decidedAt: '2026-03-10T14:05:00.000Z',
  };
}

describe('renderContainmentRequest()', () => {
  it('names the reader zone of the requested and decided times', () => {
    const view = { request: decidedRequest(), executions: [] };

    const card = renderContainmentRequest(makeIncident(), view, {
      now: VIEW.now,
      timeZone: 'America/Los_Angeles',
    });

    assert.equal(fact(card, 'Requested by'), 'Ana Lopez, 10 Mar 2026, 07:00 (America/Los_Angeles)');
    assert.equal(fact(card, 'Decided by'), 'Bob Brown, 10 Mar 2026, 07:05 (America/Los_Angeles)');
  });

  it('shows those times in UTC and says so when Teams did not tell the reader zone', () => {
    const view = { request: decidedRequest(), executions: [] };

    const card = renderContainmentRequest(makeIncident(), view, { now: VIEW.now });

    assert.equal(fact(card, 'Requested by'), 'Ana Lopez, 10 Mar 2026, 14:00 (UTC)');
    assert.equal(fact(card, 'Decided by'), 'Bob Brown, 10 Mar 2026, 14:05 (UTC)');
  });
});

describe('renderSecurityOverview()', () => {
  it('names the zone of an alert activity window, the reader zone or UTC', () => {
    const defender: DefenderIncident = {
      id: '2972395',
      title: 'Mailbox takeover',
      severity: 'high',
      status: 'active',
      webUrl: 'https://security.microsoft.com/incidents/2972395',
      alerts: [
        {
          id: 'a1',
          title: 'Suspicious inbox rule',
          severity: 'high',
          mitreTechniques: ['T1564.008'],
          firstActivity: '2026-03-10T09:45:00Z',
          lastActivity: '2026-03-10T10:15:00Z',
        },
      ],
      accounts: [],
    };
    const overview = { defender, accounts: [], containment: [], requests: [], problems: [] };
    const render = (timeZone?: string) =>
      texts(
        renderSecurityOverview(makeIncident(), overview, {
          ...VIEW,
          timeZone,
          protectedAccounts: [],
        }),
      ).find((text) => text.startsWith('MITRE'));

    assert.equal(
      render('Europe/Berlin'),
      'MITRE T1564.008 · activity 10 Mar 2026, 10:45 to 10 Mar 2026, 11:15 \\(Europe/Berlin\\)',
    );
    assert.equal(
      render(),
      'MITRE T1564.008 · activity 10 Mar 2026, 09:45 to 10 Mar 2026, 10:15 \\(UTC\\)',
    );
  });

  it('names the zone of an account risk update time', () => {
    const updated = { ...account(1, 'atRisk'), lastUpdated: '2026-03-10T14:00:00Z' };
    const overview = { accounts: [updated], containment: [], requests: [], problems: [] };

    const card = renderSecurityOverview(makeIncident(), overview, {
      ...VIEW,
      timeZone: 'Asia/Tokyo',
      protectedAccounts: [],
    });

    const status = texts(card).find((text) => text.startsWith('Risk high'));
    assert.equal(status, 'Risk high · At risk · updated 10 Mar 2026, 23:00 \\(Asia/Tokyo\\)');
  });

  it('shows each account risk state in words rather than as the Graph value', () => {
    const accounts = [account(1, 'atRisk'), account(2, 'ConfirmedCompromised')];
    const overview = { accounts, containment: [], requests: [], problems: [] };

    const card = renderSecurityOverview(makeIncident(), overview, {
      ...VIEW,
      protectedAccounts: [],
    });

    const statuses = texts(card).filter((text) => text.startsWith('Risk high'));
    assert.deepEqual(statuses, ['Risk high · At risk', 'Risk high · Confirmed compromised']);
    assert.ok(!texts(card).some((text) => /atRisk|ConfirmedCompromised/.test(text)));
  });
});
