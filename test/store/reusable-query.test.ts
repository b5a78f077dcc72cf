import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/database';
import { migrateToLatest } from '../../src/store/migrations';
import { executeReusable } from '../../src/store/reusable-query';

describe('executeReusable', () => {
  const { db } = openDatabase('sqlite::memory:');

  before(async () => {
    await migrateToLatest(db);
    await db
      .insertInto('handled_keys')
      .values([
        { key: 'a', handled_at: '2026-01-01T00:00:00Z' },
        { key: 'b', handled_at: '2026-01-02T00:00:00Z' },
      ])
      .execute();
  });

  after(() => db.destroy());

  it('runs the compiled query with each call’s own values', async () => {
    const find = (key: string) =>
      executeReusable(db, 'test-find', [key], ([k]) =>
        db.selectFrom('handled_keys').selectAll().where('key', '=', k),
      );

    const [first, second] = [await find('a'), await find('b')];

    assert.equal(first.rows[0]?.handled_at, '2026-01-01T00:00:00Z');
    assert.equal(second.rows[0]?.handled_at, '2026-01-02T00:00:00Z');
  });

  it('refuses a query that does not use a value as a parameter, rather than run it wrong', async () => {
    const misuse = executeReusable(db, 'test-misuse', ['a'], ([k]) =>
      db.selectFrom('handled_keys').selectAll().where('key', '=', `${k}-suffix`),
    );

    await assert.rejects(misuse, /a value was not used as a parameter/);
  });
});
