import { randomUUID } from 'node:crypto';
import { formatIncidentNumber, isOpen, type Incident } from '../incidents/incident';
import { ACTION_LABELS, type ApprovalMode } from '../security/containment';
import type { RequestView } from '../security/containment-service';
import { isStale, type AccountAtRisk, type DefenderAlert } from '../security/evidence';
import type { SecurityOverview } from '../security/security-service';
import { escapeMarkdown } from './markdown';
import { renderCard } from './render';
import { ReaderClock } from './time-format';

export interface SecurityCardView {
  now: Date;
  timeZone?: string;
  mode: ApprovalMode;
  protectedAccounts: readonly string[];
}

const MAX_ALERTS = 10;
/** With five buttons each, more accounts would take the card over Teams' 80 KB advice. */
const MAX_ACCOUNTS = 10;

/** The `security` card: the linked Defender incident, its alerts and the accounts at risk. */
export function renderSecurityOverview(
  incident: Incident,
  overview: SecurityOverview,
  view: SecurityCardView,
) {
  const clock = new ReaderClock(view.timeZone);
  const defender = overview.defender;
  const accounts = overview.accounts.slice(0, MAX_ACCOUNTS);
  const openRequests = overview.requests.filter((r) => r.state === 'pending');
  return renderCard('security-overview', {
    incidentId: incident.id,
    // A fresh id per card: two clicks on one card are one request, a press on a newer card is new.
    cardId: randomUUID(),
    number: formatIncidentNumber(incident.number),
    noLink: !overview.link,
    linkedId: overview.link?.defenderIncidentId ?? '',
    hasDefender: defender !== undefined,
    defenderTitle: defender?.title ?? '',
    defenderId: escapeMarkdown(defender?.id ?? ''),
    defenderSeverity: escapeMarkdown(defender?.severity ?? ''),
    defenderStatus: escapeMarkdown(defender?.status ?? ''),
    defenderUrl: defender?.webUrl ?? 'https://security.microsoft.com/incidents',
    hasAlerts: (defender?.alerts.length ?? 0) > 0,
    alerts: (defender?.alerts ?? []).slice(0, MAX_ALERTS).map((alert) => alertRow(alert, clock)),
    problems: overview.problems.map((text) => ({ text: escapeMarkdown(text) })),
    accountCount: overview.accounts.length,
    hasMore: overview.accounts.length > accounts.length,
    moreLine: `${overview.accounts.length - accounts.length} more accounts are not shown; Contain all covers them too.`,
    noAccounts: accounts.length === 0,
    accounts: accounts.map((account) => accountRow(account, view, clock)),
    reasonLabel:
      view.mode === 'single'
        ? 'Reason (required: one person acts alone)'
        : 'Reason (recorded with the request)',
    hasRequests: overview.requests.length > 0,
    requests: overview.requests.map((request) => ({
      requestId: request.id,
      what: request.scope === 'all' ? 'Contain all' : ACTION_LABELS[request.actions[0]],
      accounts:
        request.accounts.length === 1
          ? ` for ${request.accounts[0].name}`
          : ` for ${request.accounts.length} accounts`,
      state: ` · ${request.state} · requested by `,
      by: request.requestedBy.name,
    })),
    pendingCount: openRequests.length,
    canContainAll: accounts.some((a) => !a.isDeleted),
    canUpdateDefender: overview.link !== undefined && !isOpen(incident),
  });
}

/**
 * A shown time with its zone named (issue 2): the reader's when Teams told it, else UTC. Raw
 * text: zone names hold underscores (America/Los_Angeles), so callers escape the whole line.
 */
function stamp(clock: ReaderClock, iso: string): string {
  return `${clock.time(iso)} (${clock.zone})`;
}

function alertRow(alert: DefenderAlert, clock: ReaderClock) {
  const techniques = alert.mitreTechniques.length ? alert.mitreTechniques.join(', ') : 'none';
  const window =
    alert.firstActivity || alert.lastActivity
      ? ` · activity ${clock.time(alert.firstActivity ?? '')} to ${stamp(clock, alert.lastActivity ?? '')}`
      : '';
  return {
    title: alert.title,
    severity: ` · ${alert.severity}`,
    details: escapeMarkdown(`MITRE ${techniques}${window}`),
    hasUrl: alert.webUrl !== undefined,
    url: alert.webUrl ?? '',
  };
}

/** Graph's riskState values (riskyUser), keyed in lower case: Graph's casing is not reliable. */
const RISK_STATE_LABELS: Record<string, string> = {
  none: 'No risk',
  confirmedsafe: 'Confirmed safe',
  remediated: 'Remediated',
  dismissed: 'Dismissed',
  atrisk: 'At risk',
  confirmedcompromised: 'Confirmed compromised',
  unknownfuturevalue: 'Unknown',
  unknown: 'Unknown',
};

/** A state Graph adds later is still shown, as Graph names it, rather than dropped. */
function riskStateLabel(riskState: string): string {
  return RISK_STATE_LABELS[riskState.toLowerCase()] ?? riskState;
}

function accountRow(account: AccountAtRisk, view: SecurityCardView, clock: ReaderClock) {
  const keys = [account.id.toLowerCase(), account.upn.toLowerCase()];
  const isProtected = keys.some((key) => key && view.protectedAccounts.includes(key));
  const parts = [`Risk ${account.riskLevel}`, riskStateLabel(account.riskState)];
  if (account.lastUpdated) {
    const stale = isStale(account.lastUpdated, view.now) ? ' (stale)' : '';
    parts.push(`updated ${stamp(clock, account.lastUpdated)}${stale}`);
  }
  if (account.isDeleted) parts.push('deleted in Entra ID: nothing to contain');
  if (account.isProcessing) parts.push('risk still processing (pending)');
  if (isProtected) parts.push('protected account: the bot never acts on it');
  return {
    id: account.id,
    name: account.name,
    upn: account.upn ? ` ${account.upn}` : '',
    status: escapeMarkdown(parts.join(' · ')),
    actionable: !account.isDeleted && !isProtected,
  };
}

const MAX_REQUEST_ROWS = 30;

function colorOf(states: Array<string | undefined>): string {
  if (states.some((state) => state === 'failed')) return 'Attention';
  return states.every((state) => state === 'succeeded') ? 'Good' : 'Default';
}

/** Names for the summary line; many accounts are counted rather than listed. */
function names(rows: Array<{ account: string }>): string {
  if (rows.length === 0) return 'none';
  if (rows.length > 10) return `${rows.length} accounts (see the list above and “audit”)`;
  return rows.map((row) => row.account).join(', ');
}

const STATE_LABELS = {
  pending: 'waiting for a second security responder',
  approved: 'approved',
  rejected: 'rejected: nothing was done',
  expired: 'expired: nothing was done',
} as const;

/** A containment request as it really stands: pending, or what happened to each account. */
export function renderContainmentRequest(
  incident: Incident,
  { request, executions }: RequestView,
  view: Pick<SecurityCardView, 'now' | 'timeZone'>,
) {
  const clock = new ReaderClock(view.timeZone);
  const expired = request.state === 'pending' && request.expiresAt <= view.now.toISOString();
  const state = expired ? 'expired' : request.state;
  // One line per account with the result of each step; `state` decides the colour.
  const rows = request.accounts.map((account) => {
    const steps = request.actions.map((action) => {
      const execution = executions.find((e) => e.accountId === account.id && e.action === action);
      const result = !execution
        ? state === 'approved'
          ? 'not started yet'
          : 'not done'
        : execution.state === 'executing'
          ? 'in progress (outcome not known yet)'
          : execution.detail;
      return { text: `${ACTION_LABELS[action]}: ${result}`, state: execution?.state };
    });
    return { account: account.name, steps };
  });
  const contained = rows.filter((r) => r.steps.every((step) => step.state === 'succeeded'));
  const notContained = rows.filter((r) => !contained.includes(r));
  const what =
    request.scope === 'all'
      ? `Contain all (${request.actions.map((a) => ACTION_LABELS[a]).join(', ')}) for ${request.accounts.length} accounts`
      : `${ACTION_LABELS[request.actions[0]]} for ${request.accounts[0]?.name ?? 'an account'}`;

  return renderCard('containment-request', {
    requestId: request.id,
    incidentId: incident.id,
    number: formatIncidentNumber(incident.number),
    what,
    stateLabel: STATE_LABELS[state],
    headerStyle: state === 'pending' ? 'warning' : 'emphasis',
    requestedBy: escapeMarkdown(`${request.requestedBy.name}, ${stamp(clock, request.createdAt)}`),
    hasReason: request.reason !== '',
    reason: request.reason,
    expires: escapeMarkdown(stamp(clock, request.expiresAt)),
    hasDecision: request.decidedBy !== null && state !== 'expired',
    decidedBy: escapeMarkdown(
      `${request.decidedBy?.name ?? ''}, ${stamp(clock, request.decidedAt ?? '')}`,
    ),
    rows: rows.slice(0, MAX_REQUEST_ROWS).map((row) => ({
      account: row.account,
      line: ` · ${row.steps.map((step) => step.text).join('; ')}`,
      color: colorOf(row.steps.map((step) => step.state)),
    })),
    hasMoreRows: rows.length > MAX_REQUEST_ROWS,
    moreRows: `${rows.length - MAX_REQUEST_ROWS} more accounts: see “audit” for each result.`,
    hasSummary: state === 'approved' && request.accounts.length > 1,
    summary: escapeMarkdown(
      `Contained: ${names(contained)}. Not (fully) contained: ${names(notContained)}.`,
    ),
    pending: state === 'pending',
  });
}
