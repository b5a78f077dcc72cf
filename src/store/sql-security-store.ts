import type { Kysely } from 'kysely';
import type { Person, TimelineEntry } from '../incidents/incident';
import type {
  ContainmentAction,
  ContainmentRequest,
  Execution,
  RequestState,
} from '../security/containment';
import type { AuditRecord, DefenderLink, SecurityStore } from '../security/ports';
import type { Database, SqlDialect } from './database';
import {
  auditToRow,
  executionToRow,
  requestToRow,
  rowToAudit,
  rowToExecution,
  rowToLink,
  rowToRequest,
} from './security-rows';
import { SqlIncidentStore } from './sql-incident-store';

/**
 * SecurityStore over the incident store's Kysely instance (one connection per process on
 * SQLite). Exactly-once comes from single statements that only one caller can win: INSERT … ON
 * CONFLICT DO NOTHING for requests and executions, a conditional UPDATE for decisions.
 */
export class SqlSecurityStore implements SecurityStore {
  static sharing(incidents: SqlIncidentStore): SqlSecurityStore {
    return new SqlSecurityStore(incidents.database, incidents.dialect);
  }

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async transaction<T>(work: (tx: SecurityStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return work(this);
    return this.db.transaction().execute((trx) => work(new SqlSecurityStore(trx, this.dialect)));
  }

  claim(key: string): Promise<boolean> {
    return this.incidents().claim(key);
  }

  async insertRequest(request: ContainmentRequest): Promise<boolean> {
    const result = await this.db
      .insertInto('containment_requests')
      .values(requestToRow(request))
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async getRequest(id: string): Promise<ContainmentRequest | undefined> {
    const row = await this.db
      .selectFrom('containment_requests')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && rowToRequest(row);
  }

  async decide(id: string, to: RequestState, by: Person | null, at: string): Promise<boolean> {
    // Expiry is the one decision allowed after the deadline; every other needs to beat it.
    const result = await this.db
      .updateTable('containment_requests')
      .set({ state: to, decided_by: by ? JSON.stringify(by) : null, decided_at: at })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .where('expires_at', to === 'expired' ? '<=' : '>', at)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async listRequests(incidentId: string, limit: number): Promise<ContainmentRequest[]> {
    const rows = await this.db
      .selectFrom('containment_requests')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(rowToRequest);
  }

  async claimExecution(
    requestId: string,
    accountId: string,
    action: ContainmentAction,
    at: string,
  ): Promise<boolean> {
    const row = executionToRow({
      requestId,
      accountId,
      action,
      state: 'executing',
      detail: 'in progress',
      httpStatus: null,
      graphRequestId: null,
      updatedAt: at,
    });
    const result = await this.db
      .insertInto('containment_executions')
      .values(row)
      .onConflict((conflict) =>
        conflict.columns(['request_id', 'account_id', 'action']).doNothing(),
      )
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async finishExecution(execution: Execution): Promise<boolean> {
    const { request_id, account_id, action, ...changes } = executionToRow(execution);
    // Only a claimed, still running execution can finish, and only once.
    const result = await this.db
      .updateTable('containment_executions')
      .set(changes)
      .where('request_id', '=', request_id)
      .where('account_id', '=', account_id)
      .where('action', '=', action)
      .where('state', '=', 'executing')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async listExecutions(requestId: string): Promise<Execution[]> {
    const rows = await this.db
      .selectFrom('containment_executions')
      .selectAll()
      .where('request_id', '=', requestId)
      .execute();
    return rows.map(rowToExecution);
  }

  async listIncidentExecutions(incidentId: string, limit: number): Promise<Execution[]> {
    const rows = await this.db
      .selectFrom('containment_executions as e')
      .innerJoin('containment_requests as r', 'r.id', 'e.request_id')
      .selectAll('e')
      .where('r.incident_id', '=', incidentId)
      .orderBy('e.updated_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(rowToExecution);
  }

  async appendAudit(record: AuditRecord): Promise<void> {
    await this.db.insertInto('security_audit').values(auditToRow(record)).execute();
  }

  async listAudit(incidentId: string, limit: number): Promise<AuditRecord[]> {
    const rows = await this.db
      .selectFrom('security_audit')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map(rowToAudit);
  }

  appendTimeline(entry: TimelineEntry): Promise<void> {
    return this.incidents().appendTimeline(entry);
  }

  async setLink(link: DefenderLink): Promise<boolean> {
    const row = {
      incident_id: link.incidentId,
      defender_incident_id: link.defenderIncidentId,
      linked_by: JSON.stringify(link.linkedBy),
      linked_at: link.linkedAt,
    };
    // One statement decides, so of two links of the same id at once only one counts a change.
    const result = await this.db
      .insertInto('security_links')
      .values(row)
      .onConflict((conflict) =>
        conflict
          .column('incident_id')
          .doUpdateSet({
            defender_incident_id: row.defender_incident_id,
            linked_by: row.linked_by,
            linked_at: row.linked_at,
          })
          .whereRef('security_links.defender_incident_id', '<>', 'excluded.defender_incident_id'),
      )
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async getLink(incidentId: string): Promise<DefenderLink | undefined> {
    const row = await this.db
      .selectFrom('security_links')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .executeTakeFirst();
    return row && rowToLink(row);
  }

  /** The incident store bound to the same connection or transaction. */
  private incidents(): SqlIncidentStore {
    return new SqlIncidentStore(this.db, this.dialect);
  }
}
