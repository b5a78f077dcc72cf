import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { startCheckpointer } from '../../src/store/sqlite-checkpointer';

/** Rows visible in the database file alone, without its write-ahead log. */
function rowsInMainFile(file: string, copyDir: string): number {
  const copy = path.join(copyDir, 'main-file-only.db');
  fs.copyFileSync(file, copy);
  const db = new BetterSqlite3(copy, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from notes').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe('startCheckpointer', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-checkpoint-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies committed rows from the log into the database file in the background', async () => {
    const file = path.join(dir, 'bot.db');
    const db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('create table notes (text text)');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const checkpointer = startCheckpointer(file);

    const insert = db.prepare('insert into notes (text) values (?)');
    for (let i = 0; i < 20; i++) insert.run(`note ${i}`);
    const copied = await waitFor(() => rowsInMainFile(file, dir) === 20, 3000);

    await checkpointer.stop();
    db.close();
    assert.equal(copied, true);
  });

  it('reports a checkpoint it cannot run instead of failing silently', async () => {
    const errors: string[] = [];
    const checkpointer = startCheckpointer(path.join(dir, 'missing', 'bot.db'), (message) =>
      errors.push(message),
    );

    const reported = await waitFor(() => errors.length > 0, 3000);

    await checkpointer.stop();
    assert.equal(reported, true);
  });
});
