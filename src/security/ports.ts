import type { Person, TimelineEntry } from '../incidents/incident';
import type { ContainmentAction, ContainmentRequest, Execution, RequestState } from './containment';
import type { DefenderIncident, HuntingResult, RiskyAccount } from './evidence';

export type AuditEvent =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'refused'
  | 'executed'
  | 'linked'
  | 'hunted'
  | 'defender-updated';

/** One append-only line of the security audit: who did what to which account, and how it went. */
export interface AuditRecord {
  id: string;
  tenantId: string;
  incidentId: string;
  at: string;
  actor: Person;
  event: AuditEvent;
  requestId: string | null;
  accountId: string | null;
  accountName: string | null;
  action: ContainmentAction | null;
  outcome: string;
  graphRequestId: string | null;
}

export interface DefenderLink {
  incidentId: string;
  defenderIncidentId: string;
  linkedBy: Person;
  linkedAt: string;
}

/**
 * Persistence of security response. Exactly-once lives here: `insertRequest`, `decide` and
 * `claimExecution` each succeed for one caller only, across instances.
 */
export interface SecurityStore {
  transaction<T>(work: (tx: SecurityStore) => Promise<T>): Promise<T>;
  /** IncidentStore.claim: false when the key was handled before. */
  claim(key: string): Promise<boolean>;

  /** False when a request with this id exists (a double click or a Teams retry). */
  insertRequest(request: ContainmentRequest): Promise<boolean>;
  getRequest(id: string): Promise<ContainmentRequest | undefined>;
  /** Moves a pending, unexpired request to `to`; false when another decision came first. */
  decide(id: string, to: RequestState, by: Person | null, at: string): Promise<boolean>;
  listRequests(incidentId: string, limit: number): Promise<ContainmentRequest[]>;

  /** Inserts the execution as `executing`; false when it was claimed before. */
  claimExecution(
    requestId: string,
    accountId: string,
    action: ContainmentAction,
    at: string,
  ): Promise<boolean>;
  /** Records how a claimed, still executing step ended; false when it was recorded before. */
  finishExecution(execution: Execution): Promise<boolean>;
  listExecutions(requestId: string): Promise<Execution[]>;
  /** Executions of every request of the incident, the latest `limit` by `updatedAt`. */
  listIncidentExecutions(incidentId: string, limit: number): Promise<Execution[]>;

  appendAudit(record: AuditRecord): Promise<void>;
  listAudit(incidentId: string, limit: number): Promise<AuditRecord[]>;
  /** Through the incident store, so a security event shows on the incident's timeline. */
  appendTimeline(entry: TimelineEntry): Promise<void>;

  /**
   * Links the incident, replacing any other link; false (nothing written) when it is already
   * linked to that Defender incident, so two concurrent links of one id record one change.
   */
  setLink(link: DefenderLink): Promise<boolean>;
  getLink(incidentId: string): Promise<DefenderLink | undefined>;
}

/** What a Graph write answered. Any 2xx is `ok`; anything else carries what is known. */
export interface GraphOutcome {
  ok: boolean;
  /** undefined when no HTTP answer came (network, token). */
  status?: number;
  code?: string;
  requestId?: string;
}

export interface DirectoryAccount {
  id: string;
  upn: string;
  name: string;
  accountEnabled?: boolean;
}

/** Entra ID: users, sign-in, risk and group membership. */
export interface IdentityGraph {
  /** undefined when the account does not exist (any more). */
  getAccount(id: string): Promise<DirectoryAccount | undefined>;
  setAccountEnabled(id: string, enabled: boolean): Promise<GraphOutcome>;
  revokeSessions(id: string): Promise<GraphOutcome>;
  confirmCompromised(ids: string[]): Promise<GraphOutcome>;
  dismissRisk(ids: string[]): Promise<GraphOutcome>;
  /** High and medium risk users; malformed entries are skipped. */
  listRiskyUsers(): Promise<RiskyAccount[]>;
  isMemberOf(userId: string, groupId: string): Promise<boolean>;
}

export interface DefenderIncidentPatch {
  status: 'active' | 'resolved';
  classification: string;
  determination: string;
}

/** Microsoft Defender XDR through Graph security. */
export interface DefenderGraph {
  /** undefined when there is no such incident. */
  getIncident(id: string): Promise<DefenderIncident | undefined>;
  updateIncident(id: string, patch: DefenderIncidentPatch): Promise<GraphOutcome>;
  runHuntingQuery(query: string): Promise<HuntingResult>;
}
