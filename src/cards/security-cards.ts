import { randomUUID } from 'node:crypto';
import { formatIncidentNumber, isOpen, type Incident } from '../incidents/incident';
import { ACTION_LABELS, type ApprovalMode, type RequestView } from '../security/containment';
import { isRunning } from '../security/containment-background';
import { canReadBack, isOutcomeLost } from '../security/containment-recheck';
import type { DefenderAlert } from '../security/evidence';
import type { SecurityOverview } from '../security/security-service';
import { escapeMarkdown } from './markdown';
import { renderCard } from './render';
import { accountRows, stamp } from './security-accounts';
import { ReaderClock } from './time-format';

export interface SecurityCardView {
  now: Date;
  timeZone?: string;
  mode: ApprovalMode;
  protectedAccounts: readonly string[];
}

const MAX_ALERTS = 10;

/** The `security` card: the linked Defender incident, its alerts and the accounts at risk. */
export function renderSecurityOverview(
  incident: Incident,
  overview: SecurityOverview,
  view: SecurityCardView,
) {
  const clock = new ReaderClock(view.timeZone);
  const defender = overview.defender;
  const accounts = accountRows(overview.accounts, overview.containment, view, clock);
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
    accountsHeading: accounts.heading,
    hasMore: accounts.hasMore,
    moreLine: accounts.moreLine,
    noAccounts: accounts.rows.length === 0,
    accounts: accounts.rows,
    canAct: accounts.rows.some((row) => row.actionable),
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
    canContainAll: accounts.canContainAll,
    canUpdateDefender: overview.link !== undefined && !isOpen(incident),
  });
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

/** Approved, with steps not ended yet: they run on after the press was answered. */
const RUNNING_LABEL = 'approved: in progress';

/** A containment request as it really stands: pending, or what happened to each account. */
export function renderContainmentRequest(
  incident: Incident,
  requestView: RequestView,
  view: Pick<SecurityCardView, 'now' | 'timeZone'>,
) {
  const { request, executions } = requestView;
  const running = isRunning(requestView, view.now);
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
        : execution.state !== 'executing'
          ? execution.detail
          : isOutcomeLost(execution, view.now)
            ? 'outcome not known: check Entra (the bot stopped during the call)'
            : 'in progress (outcome not known yet)';
      return { text: `${ACTION_LABELS[action]}: ${result}`, state: execution?.state };
    });
    return { account: account.name, steps };
  });
  const lost = executions.filter((e) => isOutcomeLost(e, view.now));
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
    stateLabel: running ? RUNNING_LABEL : STATE_LABELS[state],
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
    // Who was contained is said once every step ended, not while most are still to come.
    hasSummary: state === 'approved' && request.accounts.length > 1 && !running,
    summary: escapeMarkdown(
      `Contained: ${names(contained)}. Not (fully) contained: ${names(notContained)}.`,
    ),
    pending: state === 'pending',
    hasLost: lost.length > 0,
    canRecheck: lost.some((e) => canReadBack(e.action)),
    lostLine: lostLine(lost.map((e) => canReadBack(e.action))),
  });
}

/** What a responder can do about steps whose outcome was lost; the button only for some. */
function lostLine(readable: boolean[]): string {
  const recheck = '“Check Entra again” reads sign-in state from Entra and records it.';
  const manual =
    'The bot cannot read Revoke sessions, Confirm compromised or Dismiss risk back: check them ' +
    'in Entra, and request them again if needed (repeating them is safe).';
  if (readable.every(Boolean)) return recheck;
  return readable.some(Boolean) ? `${recheck} ${manual}` : manual;
}
