import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqlIncidentStore } from '../../src/store/sql-incident-store';
import { BotHarness, channelCommand } from '../support/bot-harness';
import {
  COMMS_TENANT,
  FAST_DELIVERY,
  roomCommand,
  stakeholderDeliveries,
  waitUntil,
} from '../support/comms-kit';

const TWO_DAYS_AGO = () => new Date(Date.now() - 2 * 86_400_000).toISOString();

describe('finished deliveries past DELIVERY_RETENTION_DAYS', () => {
  let dir: string;
  let bot: BotHarness;
  let report: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incident-bot-retention-'));
    const env = {
      ...FAST_DELIVERY,
      DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      DELIVERY_RETENTION_DAYS: '1',
    };
    const first = await BotHarness.start({ env });
    await first.send(channelCommand('declare Exchange Online mail delays sev2'));
    const [incident] = await first.app.store.listIncidents(COMMS_TENANT, {
      openOnly: false,
      limit: 1,
    });
    const room = incident.place!.conversationId;
    await first.send(roomCommand(room, 'update Mail is delayed.'));
    await first.send(roomCommand(room, 'update Mail flows again.'));
    await waitUntil('both updates delivered', () =>
      first.connector.calls.some((c) => /Mail flows again/.test(JSON.stringify(c.body))),
    );
    await waitUntil(
      'the stakeholder posts',
      () =>
        stakeholderDeliveries(first.connector.calls).get(FAST_DELIVERY.STAKEHOLDER_CHANNEL_ID) ===
        2,
    );
    await first.stop();
    await ageFirstUpdate(env.DATABASE_URL, incident.id);

    // A restart prunes at once, then hourly.
    bot = await BotHarness.start({ env });
    await waitUntil('the first update pruned', async () => {
      await bot.send(roomCommand(room, 'comms'));
      report = bot.connector.sent().at(-1)?.body?.text ?? '';
      return /no delivery records/.test(report);
    });
  });

  after(async () => {
    await bot?.stop();
    // The SQLite checkpoint thread may still be letting go of the files.
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  it('are removed at start, and `comms` says so instead of showing zeros', () => {
    assert.match(
      report,
      /Update 1 by Avery Example: no delivery records \(none were queued, or they finished over 1 day ago and were removed\)/,
    );
  });

  it('leave a recent update of the same incident in full', () => {
    assert.match(report, /Update 2 by Avery Example: 2 sent, 0 pending, 0 failed/);
  });
});

/** Dates update 1 and its deliveries two days back, as if they had finished then. */
async function ageFirstUpdate(databaseUrl: string, incidentId: string): Promise<void> {
  const store = await SqlIncidentStore.open(databaseUrl);
  try {
    const db = store.database;
    const update = await db
      .selectFrom('comms_updates')
      .select('id')
      .where('incident_id', '=', incidentId)
      .where('number', '=', 1)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('comms_updates')
      .set({ created_at: TWO_DAYS_AGO() })
      .where('id', '=', update.id)
      .execute();
    await db
      .updateTable('comms_deliveries')
      .set({ updated_at: TWO_DAYS_AGO() })
      .where('update_id', '=', update.id)
      .execute();
  } finally {
    await store.close();
  }
}
