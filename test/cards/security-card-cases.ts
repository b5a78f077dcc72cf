import { renderContainmentRequest, renderSecurityOverview } from '../../src/cards/security-cards';
import { renderHuntingResult, renderSecurityAudit } from '../../src/cards/security-views';
import type { Incident } from '../../src/incidents/incident';
import type { ContainmentRequest, Execution } from '../../src/security/containment';
import type { AccountAtRisk, DefenderIncident } from '../../src/security/evidence';
import { accountContainment } from '../../src/security/account-containment';
import type { AuditRecord } from '../../src/security/ports';
import type { SecurityOverview } from '../../src/security/security-service';

interface Hostile {
  makeIncident: (overrides?: Partial<Incident>) => Incident;
  /** Template syntax and markdown: Graph text is as untrusted as what users type. */
  lookalikes: string[];
  markdown: string[];
}

interface CardCase {
  name: string;
  render: () => Record<string, unknown>;
}

const NOW = new Date('2026-03-10T14:30:00Z');

/** Cases for the security templates, the largest the builders allow (25 accounts, 10 alerts). */
export function securityCardCases({ makeIncident, lookalikes, markdown }: Hostile) {
  const hostile = `${markdown.join(' ')} ${lookalikes.join(' ')} & \uFFFD\t🔥`;
  const account = (i: number, extra: Partial<AccountAtRisk> = {}): AccountAtRisk => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    upn: `user${i}@contoso.example`,
    name: `User ${i} ${hostile}`,
    riskLevel: 'high',
    riskState: 'atRisk',
    lastUpdated: '2016-01-29T20:03:57.7872426Z',
    isDeleted: i % 5 === 0,
    isProcessing: i % 3 === 0,
    fromEvidence: true,
    ...extra,
  });
  const defender: DefenderIncident = {
    id: '2972395',
    title: `Multi-stage incident ${hostile}`.repeat(3),
    severity: 'high',
    status: 'active',
    webUrl: 'https://security.microsoft.com/incidents/2972395',
    alerts: Array.from({ length: 10 }, (_, i) => ({
      id: `alert-${i}`,
      title: `Alert ${i} ${hostile}`,
      severity: 'medium',
      mitreTechniques: ['T1564.001', 'T1114.003'],
      webUrl: i % 2 ? `https://security.microsoft.com/alerts/alert-${i}` : undefined,
      firstActivity: '2021-04-26T07:45:50.116Z',
      lastActivity: '2021-05-02T07:56:58.2220000Z',
    })),
    accounts: [],
  };
  const person = { id: 'aad-ana', name: `Ana ${hostile}` };
  const request = (overrides: Partial<ContainmentRequest> = {}): ContainmentRequest => ({
    id: '548beef1-0000-4000-8000-000000000001',
    tenantId: 't',
    incidentId: makeIncident().id,
    scope: 'all',
    actions: ['block', 'revoke', 'confirm'],
    accounts: Array.from({ length: 25 }, (_, i) => ({
      id: account(i).id,
      upn: '',
      name: account(i).name,
    })),
    requestedBy: person,
    reason: `Phish confirmed ${hostile}`,
    state: 'pending',
    createdAt: '2026-03-10T14:00:00Z',
    expiresAt: '2026-03-10T14:30:01Z',
    decidedBy: null,
    decidedAt: null,
    ...overrides,
  });
  const executions: Execution[] = request().accounts.flatMap((a, i) =>
    (['block', 'revoke', 'confirm'] as const).map((action) => ({
      requestId: request().id,
      accountId: a.id,
      action,
      state: i % 4 === 0 ? ('failed' as const) : ('succeeded' as const),
      detail:
        'failed: insufficient permission; the app needs User.RevokeSessions.All (Graph request id 4da6bef4-83fe-4b96-9411-6d5d09949d7e)',
      httpStatus: 403,
      graphRequestId: '4da6bef4-83fe-4b96-9411-6d5d09949d7e',
      updatedAt: '2026-03-10T14:10:00Z',
    })),
  );
  const overview = (extra: Partial<SecurityOverview> = {}): SecurityOverview => ({
    link: {
      incidentId: 'x',
      defenderIncidentId: '2972395',
      linkedBy: person,
      linkedAt: '2026-03-10T14:00:00Z',
    },
    defender,
    accounts: Array.from({ length: 25 }, (_, i) => account(i)),
    // Every outcome on shown accounts, and more accounts contained earlier than fit the card.
    containment: accountContainment(
      [request()],
      [
        ...executions,
        ...Array.from({ length: 15 }, (_, i) => ({
          ...executions[0],
          accountId: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
          state: i % 2 ? ('executing' as const) : ('succeeded' as const),
          action: (['enable', 'dismiss', 'revoke'] as const)[i % 3],
        })),
      ],
    ),
    requests: [request(), request({ state: 'approved', scope: 'account', actions: ['block'] })],
    problems: [`Could not read: the app needs IdentityRiskyUser.Read.All ${hostile}.`],
    ...extra,
  });
  const view = {
    now: NOW,
    timeZone: 'Europe/Berlin',
    mode: 'two-person' as const,
    protectedAccounts: ['user2@contoso.example'],
  };
  const audit: AuditRecord[] = Array.from({ length: 30 }, (_, i) => ({
    id: `a${i}`,
    tenantId: 't',
    incidentId: 'x',
    at: '2026-03-10T14:00:00Z',
    actor: person,
    event: i % 2 ? 'executed' : 'refused',
    requestId: request().id,
    accountId: account(i).id,
    accountName: account(i).name,
    action: 'block',
    outcome: `done ${hostile}`,
    graphRequestId: 'f00d',
  }));

  const cases: Record<string, CardCase[]> = {
    'security-overview': [
      {
        name: 'a linked incident, ten alerts and 25 accounts',
        render: () => renderSecurityOverview(makeIncident(), overview(), view),
      },
      {
        name: 'only accounts contained earlier, none at risk any more',
        render: () =>
          renderSecurityOverview(
            makeIncident(),
            overview({
              accounts: [],
              containment: overview().containment.slice(0, 3),
              requests: [],
            }),
            view,
          ),
      },
      {
        name: 'no link, no accounts, single approval, a resolved incident',
        render: () =>
          renderSecurityOverview(
            makeIncident({ status: 'resolved' }),
            overview({
              link: undefined,
              defender: undefined,
              accounts: [],
              containment: [],
              requests: [],
              problems: [],
            }),
            { ...view, mode: 'single' },
          ),
      },
    ],
    'containment-request': [
      {
        name: 'a pending "Contain all" of 25 accounts',
        render: () =>
          renderContainmentRequest(makeIncident(), { request: request(), executions: [] }, view),
      },
      {
        name: 'an approved one with every result, some failed',
        render: () =>
          renderContainmentRequest(
            makeIncident(),
            {
              request: request({
                state: 'approved',
                decidedBy: person,
                decidedAt: '2026-03-10T14:05:00Z',
              }),
              executions,
            },
            view,
          ),
      },
      {
        name: 'an approved one whose steps lost their outcome when the bot died',
        render: () =>
          renderContainmentRequest(
            makeIncident(),
            {
              request: request({
                state: 'approved',
                createdAt: '2026-03-10T13:45:00Z',
                decidedBy: person,
                decidedAt: '2026-03-10T13:50:00Z',
              }),
              executions: executions.map((execution) => ({
                ...execution,
                state: 'executing' as const,
                updatedAt: '2026-03-10T13:55:00Z',
              })),
            },
            view,
          ),
      },
    ],
    'hunting-result': [
      {
        name: 'ten of many rows with hostile cells',
        render: () =>
          renderHuntingResult(makeIncident(), `Recent sign-ins ${hostile}`, {
            columns: ['Timestamp', 'Application', 'RawEventData', 'Missing'],
            rows: Array.from({ length: 150 }, () => ({
              timestamp: '2020-08-30T06:38:35.7664356Z',
              Application: hostile.repeat(20),
              RawEventData: { nested: hostile },
            })),
          }),
      },
      {
        name: 'no rows',
        render: () =>
          renderHuntingResult(makeIncident(), 'Free-form query', { columns: [], rows: [] }),
      },
    ],
    'security-audit': [
      {
        name: 'thirty records',
        render: () => renderSecurityAudit(makeIncident(), audit, 'Europe/Berlin'),
      },
      { name: 'nothing yet', render: () => renderSecurityAudit(makeIncident(), []) },
    ],
  };
  return cases;
}
