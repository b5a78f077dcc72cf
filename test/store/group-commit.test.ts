import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Generated } from 'kysely';
import { GroupCommit } from '../../src/store/group-commit';

interface Tables {
  notes: { id: Generated<number>; text: string };
  links: { note_id: number };
}

/** An in-memory database that counts the COMMIT statements it runs. */
async function countingDatabase() {
  const counted = { commits: 0 };
  const db = new Kysely<Tables>({
    dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }),
    log: (event) => {
      if (/^commit/i.test(event.query.sql)) counted.commits += 1;
    },
  });
  await sql`create table notes (id integer primary key, text text not null)`.execute(db);
  await sql`create table links (note_id integer not null references notes (id))`.execute(db);
  return { db, counted };
}

async function noteTexts(db: Kysely<Tables>) {
  const rows = await db.selectFrom('notes').select('text').orderBy('id').execute();
  return rows.map((row) => row.text);
}

describe('GroupCommit', () => {
  it('commits transactions that arrive together in fewer commits than transactions', async () => {
    const { db, counted } = await countingDatabase();
    const group = new GroupCommit(db);

    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        group.run((trx) =>
          trx
            .insertInto('notes')
            .values({ text: `n${i}` })
            .execute(),
        ),
      ),
    );

    assert.equal((await noteTexts(db)).length, 10);
    assert.ok(counted.commits < 10, `${counted.commits} commits for 10 transactions`);
    await db.destroy();
  });

  it('rolls back only the transaction that failed, and only its caller sees the error', async () => {
    const { db } = await countingDatabase();
    const group = new GroupCommit(db);

    const results = await Promise.allSettled([
      group.run((trx) => trx.insertInto('notes').values({ text: 'kept 1' }).execute()),
      group.run(async (trx) => {
        await trx.insertInto('notes').values({ text: 'undone' }).execute();
        throw new Error('this one fails');
      }),
      group.run((trx) => trx.insertInto('notes').values({ text: 'kept 2' }).execute()),
    ]);

    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(await noteTexts(db), ['kept 1', 'kept 2']);
    await db.destroy();
  });

  it('fails every caller of a batch whose commit fails, and keeps none of it', async () => {
    const { db } = await countingDatabase();
    // Deferred foreign keys are checked at COMMIT, so the commit itself fails.
    await sql`pragma defer_foreign_keys = on`.execute(db);
    await sql`pragma foreign_keys = on`.execute(db);
    const group = new GroupCommit(db);

    const results = await Promise.allSettled([
      group.run((trx) => trx.insertInto('notes').values({ text: 'lost' }).execute()),
      group.run((trx) => trx.insertInto('links').values({ note_id: 999 }).execute()),
    ]);

    assert.deepEqual(
      results.map((result) => result.status),
      ['rejected', 'rejected'],
    );
    assert.deepEqual(await noteTexts(db), []);
    await db.destroy();
  });

  it('returns each transaction its own result', async () => {
    const { db } = await countingDatabase();
    const group = new GroupCommit(db);

    const results = await Promise.all([1, 2, 3].map((n) => group.run(async () => n * 10)));

    assert.deepEqual(results, [10, 20, 30]);
    await db.destroy();
  });
});
