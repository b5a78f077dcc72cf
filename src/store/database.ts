import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type Generated,
  type SqliteDialectConfig,
} from 'kysely';
import { Pool } from 'pg';
import type { CommsTables } from './comms-tables';
import type { EngagementTables } from './engagement-tables';
import type { EvidenceTables } from './evidence-tables';
import type { SecurityTables } from './security-tables';
import { FOREGROUND_CHECKPOINT_PAGES, startCheckpointer } from './sqlite-checkpointer';

export type SqlDialect = 'sqlite' | 'postgres';

/** Row shapes as stored. JSON columns are text so one schema serves SQLite and PostgreSQL. */
export interface IncidentsTable {
  id: string;
  tenant_id: string;
  number: number;
  title: string;
  description: string;
  severity: number;
  status: string;
  roles: string;
  affected_services: string;
  affected_users: number | null;
  impact_scope: string | null;
  declared_by: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  latest_update: string | null;
  place: string | null;
  room_key: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface IncidentCountersTable {
  tenant_id: string;
  last_number: number;
}

export interface TimelineEntriesTable {
  seq: Generated<number>;
  id: string;
  incident_id: string;
  at: string;
  actor: string;
  kind: string;
  text: string;
}

export interface HandledKeysTable {
  key: string;
  handled_at: string;
}

/** Where the bot was installed, so it can post there later without being spoken to first. */
export interface InstallationsTable {
  key: string;
  tenant_id: string;
  reference: string;
  updated_at: string;
}

export interface Database extends CommsTables, EngagementTables, SecurityTables, EvidenceTables {
  installations: InstallationsTable;
  incidents: IncidentsTable;
  incident_counters: IncidentCountersTable;
  timeline_entries: TimelineEntriesTable;
  handled_keys: HandledKeysTable;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: SqlDialect;
}

export interface OpenDatabaseOptions {
  /**
   * Called when an idle PostgreSQL connection dies (server restart, network). The pool drops
   * that connection by itself; without a listener Node would crash on the unhandled 'error'.
   */
  onIdleConnectionError?: (error: Error) => void;
  /** Called when the SQLite background checkpoint fails (see sqlite-checkpointer.ts). */
  onCheckpointError?: (message: string) => void;
}

/**
 * Opens `sqlite:<path>` (`sqlite::memory:` for a private in-memory database) or
 * `postgres://…` / `postgresql://…`. Schema changes are separate: see `migrateToLatest`.
 */
export function openDatabase(
  databaseUrl: string,
  options: OpenDatabaseOptions = {},
): OpenedDatabase {
  const url = databaseUrl.trim();
  if (url.startsWith('sqlite:')) {
    return { db: openSqlite(url.slice('sqlite:'.length), options), dialect: 'sqlite' };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { db: openPostgres(url, options), dialect: 'postgres' };
  }
  // Only the scheme is echoed: the rest may hold a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(none)';
  throw new Error(
    `DATABASE_URL must be sqlite:<path>, sqlite::memory: or postgres://…; got scheme ${scheme}`,
  );
}

function openSqlite(location: string, options: OpenDatabaseOptions): Kysely<Database> {
  if (location === '') {
    throw new Error('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/incident-bot.db');
  }
  if (location !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(location)), { recursive: true });
  }
  const sqlite = new BetterSqlite3(location);
  // WAL lets readers (another instance, a backup) run while we write; busy_timeout makes a
  // second process wait for the write lock instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  // In WAL mode, NORMAL syncs at checkpoints instead of at every commit. A commit still survives
  // the process being killed; only an operating-system crash or power cut can lose the last few.
  // FULL blocked the event loop for about 0.2 ms per transaction on fsync, a fifth of a button
  // press (npm run bench). Deployments that need every commit on disk use PostgreSQL.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const checkpointer =
    location === ':memory:' ? undefined : startCheckpointer(location, options.onCheckpointError);
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${FOREGROUND_CHECKPOINT_PAGES}`);

  const database = withStatementCache(sqlite);
  // The background thread's connection is closed before ours, and destroy() waits for it, so
  // nothing touches the files once the store says it is closed (a test then deletes them).
  const stopCheckpointer = async () => checkpointer?.stop();
  return new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database }, stopCheckpointer),
  });
}

/**
 * Kysely prepares every query anew, and preparing is a large share of a button press's cost
 * (measured with npm run bench). Our SQL text repeats, so prepared statements are kept; the
 * cap bounds memory for queries whose text varies (IN lists of different lengths).
 */
function withStatementCache(sqlite: BetterSqlite3.Database) {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      sqlite.close();
    },
    prepare(text: string) {
      let statement = prepared.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        if (prepared.size < 500) prepared.set(text, statement);
      }
      return statement;
    },
  };
}

function openPostgres(url: string, options: OpenDatabaseOptions): Kysely<Database> {
  try {
    new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a valid postgres:// URL');
  }
  const pool = new Pool({ connectionString: url });
  pool.on('error', (error) => options.onIdleConnectionError?.(error));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * A plain BEGIN takes the write lock only at the first write, and a transaction that read
 * before that fails with SQLITE_BUSY without waiting when another process wrote meanwhile.
 * BEGIN IMMEDIATE takes the lock up front, so busy_timeout applies.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    settings: SqliteDialectConfig,
    private readonly beforeDestroy: () => Promise<void>,
  ) {
    super(settings);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async destroy(): Promise<void> {
    await this.beforeDestroy();
    await super.destroy();
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #settings: SqliteDialectConfig;

  constructor(
    settings: SqliteDialectConfig,
    private readonly beforeDestroy: () => Promise<void>,
  ) {
    super(settings);
    this.#settings = settings;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#settings, this.beforeDestroy);
  }
}
