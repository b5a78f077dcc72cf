/** What the bot learned from Defender XDR and Entra ID Protection, already validated. */

export interface DefenderAlert {
  id: string;
  title: string;
  severity: string;
  mitreTechniques: string[];
  webUrl?: string;
  firstActivity?: string;
  lastActivity?: string;
}

/** An account named by an alert's userEvidence. */
export interface EvidenceAccount {
  id: string;
  upn: string;
  name: string;
}

export interface DefenderIncident {
  id: string;
  title: string;
  severity: string;
  status: string;
  classification?: string;
  determination?: string;
  webUrl: string;
  alerts: DefenderAlert[];
  accounts: EvidenceAccount[];
}

export interface RiskyAccount {
  id: string;
  upn: string;
  name: string;
  riskLevel: string;
  riskState: string;
  lastUpdated?: string;
  isDeleted: boolean;
  isProcessing: boolean;
}

/** One row of the card's "accounts at risk": evidence and risk merged by object id. */
export interface AccountAtRisk extends RiskyAccount {
  fromEvidence: boolean;
}

export interface HuntingResult {
  columns: string[];
  rows: Array<Record<string, unknown>>;
}

/** Risk older than this is flagged as stale on the card. */
export const STALE_RISK_DAYS = 30;

/**
 * One row per account: risky users first (they carry risk level and state), then accounts only
 * named in alert evidence. Ids are compared without case; Graph is not consistent about it.
 */
export function accountsAtRisk(
  incident: DefenderIncident | undefined,
  risky: readonly RiskyAccount[],
): AccountAtRisk[] {
  const rows = new Map<string, AccountAtRisk>();
  const evidenceIds = new Set((incident?.accounts ?? []).map((a) => a.id.toLowerCase()));
  for (const user of risky) {
    const key = user.id.toLowerCase();
    if (rows.has(key)) continue;
    rows.set(key, { ...user, fromEvidence: evidenceIds.has(key) });
  }
  for (const account of incident?.accounts ?? []) {
    const key = account.id.toLowerCase();
    if (rows.has(key)) continue;
    rows.set(key, {
      ...account,
      riskLevel: 'not listed',
      riskState: 'in alert evidence',
      isDeleted: false,
      isProcessing: false,
      fromEvidence: true,
    });
  }
  return [...rows.values()];
}

/** Accounts that containment can act on: not deleted in Entra. */
export function actionable(accounts: readonly AccountAtRisk[]): AccountAtRisk[] {
  return accounts.filter((account) => !account.isDeleted);
}

export function isStale(lastUpdated: string | undefined, now: Date): boolean {
  if (!lastUpdated) return false;
  const at = Date.parse(lastUpdated);
  return Number.isFinite(at) && now.getTime() - at > STALE_RISK_DAYS * 24 * 3600 * 1000;
}
