import { RESULT_WORDS, type AccountContainment } from '../security/account-containment';
import { ACTION_LABELS, type AccountRef } from '../security/containment';
import { isOutcomeLost } from '../security/containment-recheck';
import { isStale, type AccountAtRisk } from '../security/evidence';
import { escapeMarkdown } from './markdown';
import type { ReaderClock } from './time-format';

/** With five buttons each, more accounts would take the card over Teams' 80 KB advice. */
const MAX_ACCOUNTS = 10;

export interface AccountRowsView {
  now: Date;
  protectedAccounts: readonly string[];
}

/**
 * A shown time with its zone named (issue 2): the reader's when Teams told it, else UTC. Raw
 * text: zone names hold underscores (America/Los_Angeles), so callers escape the whole line.
 */
export function stamp(clock: ReaderClock, iso: string): string {
  return `${clock.time(iso)} (${clock.zone})`;
}

/**
 * The account rows of the security card: the accounts at risk, then accounts containment acted
 * on that are at risk no more (a dismissed risk drops an account from Entra ID Protection's
 * list, yet a responder may still need to re-enable it). Each row says what containment left
 * the account as, from the executions the server recorded.
 */
export function accountRows(
  atRisk: readonly AccountAtRisk[],
  containment: readonly AccountContainment[],
  view: AccountRowsView,
  clock: ReaderClock,
) {
  const states = new Map(containment.map((entry) => [entry.account.id.toLowerCase(), entry]));
  const shownAtRisk = atRisk.slice(0, MAX_ACCOUNTS);
  const riskIds = new Set(atRisk.map((account) => account.id.toLowerCase()));
  const earlier = containment.filter((entry) => !riskIds.has(entry.account.id.toLowerCase()));
  const shownEarlier = earlier.slice(0, MAX_ACCOUNTS - shownAtRisk.length);

  const rows = [
    ...shownAtRisk.map((account) => atRiskRow(account, view, clock)),
    ...shownEarlier.map((entry) => earlierRow(entry.account, view)),
  ].map((row) => {
    const line = containmentLine(states.get(row.id.toLowerCase()), view.now, clock);
    return { ...row, hasContainment: line !== '', containment: line };
  });

  const hidden = [
    atRisk.length > shownAtRisk.length
      ? `${atRisk.length - shownAtRisk.length} more accounts at risk are not shown; Contain all covers them too.`
      : '',
    earlier.length > shownEarlier.length
      ? `${earlier.length - shownEarlier.length} more accounts contained earlier are not shown; see “audit”.`
      : '',
  ].filter(Boolean);

  return {
    rows,
    heading:
      earlier.length > 0
        ? `Accounts at risk (${atRisk.length}) and contained earlier (${earlier.length})`
        : `Accounts at risk (${atRisk.length})`,
    hasMore: hidden.length > 0,
    moreLine: hidden.join(' '),
    canContainAll: shownAtRisk.some((account) => !account.isDeleted),
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

function isProtected(account: Pick<AccountRef, 'id' | 'upn'>, view: AccountRowsView): boolean {
  const keys = [account.id.toLowerCase(), account.upn.toLowerCase()];
  return keys.some((key) => key && view.protectedAccounts.includes(key));
}

function atRiskRow(account: AccountAtRisk, view: AccountRowsView, clock: ReaderClock) {
  const guarded = isProtected(account, view);
  const parts = [`Risk ${account.riskLevel}`, riskStateLabel(account.riskState)];
  if (account.lastUpdated) {
    const stale = isStale(account.lastUpdated, view.now) ? ' (stale)' : '';
    parts.push(`updated ${stamp(clock, account.lastUpdated)}${stale}`);
  }
  if (account.isDeleted) parts.push('deleted in Entra ID: nothing to contain');
  if (account.isProcessing) parts.push('risk still processing (pending)');
  if (guarded) parts.push('protected account: the bot never acts on it');
  return {
    id: account.id,
    name: account.name,
    upn: account.upn ? ` ${account.upn}` : '',
    status: escapeMarkdown(parts.join(' · ')),
    actionable: !account.isDeleted && !guarded,
  };
}

function earlierRow(account: AccountRef, view: AccountRowsView) {
  const guarded = isProtected(account, view);
  const parts = ['Not at risk now in Entra ID Protection or the alerts'];
  if (guarded) parts.push('protected account: the bot never acts on it');
  return {
    id: account.id,
    name: account.name,
    upn: account.upn ? ` ${account.upn}` : '',
    status: escapeMarkdown(parts.join(' · ')),
    actionable: !guarded,
  };
}

/** "Containment: blocked 10 Mar 2026, 15:05 · sessions revoked … (UTC)"; '' when none. */
function containmentLine(
  entry: AccountContainment | undefined,
  now: Date,
  clock: ReaderClock,
): string {
  if (!entry || entry.facts.length === 0) return '';
  const facts = entry.facts.map((fact) => {
    const at = clock.time(fact.at);
    switch (fact.state) {
      case 'succeeded':
        return `${RESULT_WORDS[fact.action]} ${at}`;
      case 'failed':
        return `${ACTION_LABELS[fact.action]} failed ${at}`;
      case 'executing':
        return isOutcomeLost({ state: fact.state, updatedAt: fact.at }, now)
          ? `${ACTION_LABELS[fact.action]} outcome not known since ${at}: check Entra`
          : `${ACTION_LABELS[fact.action]} in progress since ${at}`;
    }
  });
  return escapeMarkdown(`Containment: ${facts.join(' · ')} (${clock.zone})`);
}
