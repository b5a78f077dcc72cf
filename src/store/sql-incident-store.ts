import { sql, type Kysely } from 'kysely';
import type { Incident, TimelineEntry } from '../incidents/incident';
import type {
  HandledKeyStore,
  IncidentStore,
  Installation,
  InstallationStore,
} from '../incidents/ports';
import { openDatabase, type Database, type OpenDatabaseOptions, type SqlDialect } from './database';
import { incidentToRow, rowToIncident, rowToTimeline, timelineToRow } from './incident-rows';
import { migrateToLatest } from './migrations';
import { GroupCommit } from './group-commit';
import { executeReusable } from './reusable-query';

const CLOSED_STATUSES = ['resolved', 'closed'] as const;

/**
 * IncidentStore on SQLite or PostgreSQL through Kysely. An instance is either bound to the
 * database (each call is its own statement) or, inside `transaction`, to one transaction.
 */
export class SqlIncidentStore implements IncidentStore, InstallationStore, HandledKeyStore {
  /** Opens the database named by `databaseUrl` and brings its schema up to date. */
  static async open(
    databaseUrl: string,
    options: OpenDatabaseOptions = {},
  ): Promise<SqlIncidentStore> {
    const { db, dialect } = openDatabase(databaseUrl, options);
    try {
      await migrateToLatest(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return new SqlIncidentStore(db, dialect);
  }

  /** SQLite only: concurrent transactions share one commit (see group-commit.ts). */
  private groupCommit?: GroupCommit<Database>;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: SqlDialect,
  ) {}

  /** The one connection (pool) of this process, for feature stores in the same database. */
  get database(): Kysely<Database> {
    return this.db;
  }

  /**
   * SQLite: Kysely's driver holds its single connection for the whole transaction, so
   * concurrent transactions queue rather than interleave, and BEGIN IMMEDIATE (see database.ts)
   * holds the write lock against other processes. PostgreSQL: reads of an incident inside a
   * transaction lock its row, so two read-modify-write transactions on one incident queue
   * instead of the second failing its version check.
   *
   * A nested call joins the running transaction: its writes commit or roll back with the outer.
   */
  async transaction<T>(work: (tx: IncidentStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) {
      return work(this);
    }
    if (this.dialect === 'sqlite') {
      this.groupCommit ??= new GroupCommit(this.db);
      return this.groupCommit.run((trx) => work(new SqlIncidentStore(trx, this.dialect)));
    }
    return this.db.transaction().execute((trx) => work(new SqlIncidentStore(trx, this.dialect)));
  }

  // claim, getIncident, updateIncident and appendTimeline run on every change (a button press):
  // they go through executeReusable, which builds and compiles each query shape only once.

  async claim(key: string): Promise<boolean> {
    // A concurrent insert of the same key waits for the other transaction to finish, then
    // does nothing, so exactly one caller across all instances sees a row inserted.
    const result = await executeReusable(
      this.db,
      'claim',
      [key, new Date().toISOString()],
      ([k, at]) =>
        this.db
          .insertInto('handled_keys')
          .values({ key: k, handled_at: at })
          .onConflict((conflict) => conflict.column('key').doNothing()),
    );
    return (result.numAffectedRows ?? 0n) > 0n;
  }

  // No index on handled_at: the prune scans the table about once an hour, while an index would
  // cost every claim (every button press) a second write.
  async pruneHandledKeys(
    before: string,
    keepPrefixes: readonly string[],
    limit: number,
  ): Promise<number> {
    // A subquery, because SQLite has DELETE … LIMIT only when compiled with it.
    const result = await this.db
      .deleteFrom('handled_keys')
      .where('key', 'in', (eb) =>
        keepPrefixes
          .reduce(
            (query, prefix) => query.where('key', 'not like', `${prefix}%`),
            eb.selectFrom('handled_keys').select('key').where('handled_at', '<', before),
          )
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async saveInstallation(installation: Installation): Promise<void> {
    const row = {
      key: installation.key,
      tenant_id: installation.tenantId,
      reference: JSON.stringify(installation.reference),
      updated_at: new Date().toISOString(),
    };
    await this.db
      .insertInto('installations')
      .values(row)
      .onConflict((conflict) =>
        conflict
          .column('key')
          .doUpdateSet({ reference: row.reference, updated_at: row.updated_at }),
      )
      .execute();
  }

  async getInstallation(key: string): Promise<Installation | undefined> {
    const row = await this.db
      .selectFrom('installations')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      key: row.key,
      tenantId: row.tenant_id,
      reference: JSON.parse(row.reference) as object,
    };
  }

  async nextIncidentNumber(tenantId: string): Promise<number> {
    // One statement, so the counter row lock makes it atomic across instances.
    const row = await this.db
      .insertInto('incident_counters')
      .values({ tenant_id: tenantId, last_number: 1 })
      .onConflict((conflict) =>
        conflict.column('tenant_id').doUpdateSet((eb) => ({
          last_number: eb('incident_counters.last_number', '+', 1),
        })),
      )
      .returning('last_number')
      .executeTakeFirstOrThrow();
    return Number(row.last_number);
  }

  async insertIncident(incident: Incident): Promise<void> {
    await this.db.insertInto('incidents').values(incidentToRow(incident)).execute();
  }

  async updateIncident(next: Incident, previous: Incident): Promise<boolean> {
    const { id, ...changes } = incidentToRow(next);
    const before = incidentToRow(previous);
    // Only the columns that change (and the version, always): SQLite maintains the indexes of
    // every column an UPDATE sets, changed or not; a press changes two or three columns, and
    // setting all of them took about half again as long. The version check makes this safe: the
    // stored row is still the one `previous` was read as.
    const columns = (Object.keys(changes) as Array<keyof typeof changes>).filter(
      (column) =>
        column === 'version' ||
        (changes[column] !== undefined && changes[column] !== before[column]),
    );
    const result = await executeReusable(
      this.db,
      `update-incident:${columns.join(',')}`,
      [...columns.map((column) => changes[column]), id, previous.version],
      (stand) =>
        this.db
          .updateTable('incidents')
          .set(Object.fromEntries(columns.map((column, index) => [column, stand[index]])))
          .where('id', '=', stand[columns.length])
          .where('version', '=', stand[columns.length + 1]),
    );
    return (result.numAffectedRows ?? 0n) > 0n;
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    const { rows } = await executeReusable(
      this.db,
      `get-incident:${this.db.isTransaction}`,
      [id],
      ([value]) => this.selectIncidents().where('id', '=', value),
    );
    return rows[0] && rowToIncident(rows[0]);
  }

  async getIncidentByNumber(
    tenantId: string,
    incidentNumber: number,
  ): Promise<Incident | undefined> {
    const row = await this.selectIncidents()
      .where('tenant_id', '=', tenantId)
      .where('number', '=', incidentNumber)
      .executeTakeFirst();
    return row && rowToIncident(row);
  }

  async findIncidentByRoom(tenantId: string, roomKey: string): Promise<Incident | undefined> {
    // A room is normally used by one incident; should one be reused, the newest wins.
    const row = await this.selectIncidents()
      .where('tenant_id', '=', tenantId)
      .where('room_key', '=', roomKey)
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && rowToIncident(row);
  }

  async listIncidents(
    tenantId: string,
    options: { openOnly: boolean; limit: number },
  ): Promise<Incident[]> {
    const rows = await this.db
      .selectFrom('incidents')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .$if(options.openOnly, (query) => query.where('status', 'not in', CLOSED_STATUSES))
      .orderBy('number', 'desc')
      .limit(options.limit)
      .execute();
    return rows.map(rowToIncident);
  }

  async appendTimeline(entry: TimelineEntry): Promise<void> {
    const row = timelineToRow(entry);
    const columns = (Object.keys(row) as Array<keyof typeof row>).filter(
      (column) => row[column] !== undefined,
    );
    await executeReusable(
      this.db,
      `append-timeline:${columns.join(',')}`,
      columns.map((column) => row[column]),
      (stand) =>
        this.db
          .insertInto('timeline_entries')
          .values(
            Object.fromEntries(columns.map((column, index) => [column, stand[index]])) as never,
          ),
    );
  }

  async listTimeline(
    incidentId: string,
    options: { offset: number; limit: number },
  ): Promise<TimelineEntry[]> {
    const rows = await this.db
      .selectFrom('timeline_entries')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('at', 'desc')
      .orderBy('seq', 'desc')
      .limit(options.limit)
      .offset(options.offset)
      .execute();
    return rows.map(rowToTimeline);
  }

  async countTimeline(incidentId: string): Promise<number> {
    const row = await this.db
      .selectFrom('timeline_entries')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('incident_id', '=', incidentId)
      .executeTakeFirstOrThrow();
    // PostgreSQL returns count(*) as a bigint string.
    return Number(row.count);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    if (this.db.isTransaction) {
      throw new Error('close() was called on a transaction-bound store; close the outer store');
    }
    await this.db.destroy();
  }

  private selectIncidents() {
    const query = this.db.selectFrom('incidents').selectAll();
    return this.db.isTransaction && this.dialect === 'postgres' ? query.forUpdate() : query;
  }
}
