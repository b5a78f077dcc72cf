import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database';
import { migrateToLatest } from '../../src/store/migrations';

describe('openDatabase', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-db-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the folder of a SQLite file and opens it in WAL mode', async () => {
    const file = path.join(dir, 'a', 'b', 'bot.db');
    const { db, dialect } = openDatabase(`sqlite:${file}`);
    try {
      const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
      assert.equal(dialect, 'sqlite');
      assert.deepEqual(rows, [{ journal_mode: 'wal' }]);
    } finally {
      await db.destroy();
    }
  });

  it('makes SQLite wait 5 seconds for a lock held by another process', async () => {
    const { db } = openDatabase(`sqlite:${path.join(dir, 'bot.db')}`);
    try {
      const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
      assert.deepEqual(rows, [{ timeout: 5000 }]);
    } finally {
      await db.destroy();
    }
  });

  it('opens a private in-memory SQLite database', async () => {
    const { db, dialect } = openDatabase('sqlite::memory:');
    try {
      await migrateToLatest(db);
      assert.equal(dialect, 'sqlite');
      assert.deepEqual(await db.selectFrom('incidents').selectAll().execute(), []);
    } finally {
      await db.destroy();
    }
  });

  it('recognises both PostgreSQL URL schemes without connecting yet', async () => {
    for (const url of ['postgres://u@127.0.0.1:1/x', 'postgresql://u@127.0.0.1:1/x']) {
      const { db, dialect } = openDatabase(url);
      assert.equal(dialect, 'postgres');
      await db.destroy();
    }
  });

  it('rejects an unknown scheme without repeating the password', () => {
    assert.throws(
      () => openDatabase('mysql://admin:s3cret@db/bot'),
      (error: Error) => /scheme mysql:/.test(error.message) && !error.message.includes('s3cret'),
    );
  });

  it('rejects a SQLite URL without a path', () => {
    assert.throws(() => openDatabase('sqlite:'), /needs a file path/);
  });
});

describe('migrateToLatest', () => {
  it('can run again on an up-to-date database', async () => {
    const { db } = openDatabase('sqlite::memory:');
    try {
      await migrateToLatest(db);
      await migrateToLatest(db);
      const tables = (await db.introspection.getTables()).map((table) => table.name);
      // Feature modules add their own tables; the core's must all be there.
      const core = ['handled_keys', 'incident_counters', 'incidents', 'installations'];
      assert.deepEqual(
        [...core, 'timeline_entries'].filter((name) => !tables.includes(name)),
        [],
      );
    } finally {
      await db.destroy();
    }
  });
});
