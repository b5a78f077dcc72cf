import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import {
  renderStakeholderCard,
  renderTechnicalUpdate,
  renderUpdateEmail,
} from '../../src/cards/update-cards';
import { DeliveryWorker } from '../../src/comms/delivery-worker';
import type { DeliveryTransport } from '../../src/comms/ports';
import { SendLimits } from '../../src/comms/send-limits';
import { commsStateOf } from '../../src/sandbox/routes-comms';
import type { SandboxGraph } from '../../src/sandbox/sandbox-graph';
import { SANDBOX_USERS } from '../../src/sandbox/seed-tenant';
import { GraphMailSender } from '../../src/graph/graph-comms';
import { SqlCommsStore } from '../../src/store/sql-comms-store';
import { SqlIncidentStore } from '../../src/store/sql-incident-store';
import {
  fixture,
  silentLogger,
  startSandboxWithClient,
  type SandboxWithClient,
} from '../sandbox/sandbox-kit';
import { alice, makeIncident } from '../store/helpers';
import { BotHarness, channelCommand } from '../support/bot-harness';
import { COMMS_TENANT, FAST_DELIVERY, roomCommand, waitUntil } from '../support/comms-kit';

const THROTTLED = fixture('11-429-throttled-retry-after');

describe('an e-mail update Graph throttles with 429 and Retry-After (G11)', () => {
  let bot: BotHarness;
  let report = '';
  /** The waits the worker scheduled for e-mails, from its log: what it decided, not a timing. */
  const scheduled: number[] = [];

  before(async () => {
    const logger = pino(
      { level: 'info' },
      {
        write: (line: string) => {
          const entry = JSON.parse(line);
          if (entry.msg === 'delivery retry scheduled' && entry.audience === 'email') {
            scheduled.push(entry.waitMs);
          }
        },
      },
    );
    bot = await BotHarness.start({
      logger,
      env: {
        ...FAST_DELIVERY,
        MAIL_SENDER: SANDBOX_USERS.riley.userPrincipalName,
        STAKEHOLDER_EMAILS: 'exec@contoso.example',
        // A wait counted as a failure would give the mail up at once.
        DELIVERY_MAX_ATTEMPTS: '1',
      },
    });
    // The recorded answer ("retry-after": "1"), served to the first sendMail.
    bot.graph.serveFixture(THROTTLED, { method: 'POST', path: /\/sendMail$/ });
    await bot.send(channelCommand('declare Exchange Online mail delays sev2'));
    const [incident] = await bot.app.store.listIncidents(COMMS_TENANT, {
      openOnly: false,
      limit: 1,
    });
    const room = incident.place!.conversationId;

    await bot.send(roomCommand(room, 'update Mail is delayed.'));
    await waitUntil('the mail', () => commsStateOf(bot.graph.state).mails.length === 1);
    await bot.send(roomCommand(room, 'comms'));
    report = bot.connector.sent().at(-1)?.body?.text ?? '';
  });

  after(async () => {
    await bot.stop();
  });

  it("sends it again after Graph's lower-case retry-after, not after our own shorter backoff", () => {
    // FAST_DELIVERY's backoff is at most 200 ms; 1 s plus at most 10 % of jitter is Graph's.
    assert.equal(sendMails(bot.graph).length, 2);
    assert.ok(
      scheduled.length === 1 && scheduled[0] >= 1000 && scheduled[0] <= 1100,
      `scheduled ${scheduled.join(', ')} ms`,
    );
  });

  it('makes each try one request, so the wait never outlasts a lease, and counts no failure', () => {
    assert.ok(sendMails(bot.graph).every((r) => r.headers['retry-attempt'] === undefined));
    assert.match(report, /Update 1 by .*: 3 sent, 0 pending, 0 failed/);
  });
});

describe('e-mails Graph keeps throttling with the recorded Retry-After "1" (G11)', () => {
  const MAX_THROTTLES = 5;
  let kit: SandboxWithClient;
  let incidents: SqlIncidentStore;
  let worker: DeliveryWorker;
  /** The worker's clock: each round runs at the time the previous one scheduled, no one waits. */
  let now: Date;

  beforeEach(async () => {
    kit = await startSandboxWithClient();
    incidents = await SqlIncidentStore.open('sqlite::memory:');
    const comms = new SqlCommsStore(incidents.database, incidents.dialect);
    const incident = makeIncident();
    await incidents.insertIncident(incident);
    await comms.insertUpdate(
      {
        id: randomUUID(),
        incidentId: incident.id,
        tenantId: incident.tenantId,
        number: 1,
        status: 'investigating',
        affected: 'Mail',
        workaround: '',
        summary: 'Mail is delayed.',
        internalNote: '',
        nextUpdateAt: null,
        postedBy: alice,
        createdAt: new Date().toISOString(),
      },
      [
        {
          audience: 'email',
          recipientKey: 'email:exec@contoso.example',
          recipientName: 'exec@contoso.example',
          target: { kind: 'email', address: 'exec@contoso.example' },
        },
      ],
    );
    now = new Date(Date.now() + 1000);
    worker = new DeliveryWorker({
      store: comms,
      incidents,
      // E-mails never reach Teams.
      transport: {} as DeliveryTransport,
      renderer: {
        technical: renderTechnicalUpdate,
        stakeholder: (update, on) => renderStakeholderCard(update, on, {}),
        email: renderUpdateEmail,
      },
      limits: new SendLimits({ perConversationRps: 7, globalRps: 30 }),
      logger: silentLogger,
      mail: new GraphMailSender(kit.client, SANDBOX_USERS.riley.userPrincipalName, silentLogger),
      pollMs: 1000,
      leaseMs: 60_000,
      batchSize: 10,
      maxAttempts: 1,
      maxThrottles: MAX_THROTTLES,
      retryBaseMs: 1000,
      retryMaxMs: 4000,
      clock: () => now,
    });
  });

  afterEach(async () => {
    await incidents.close();
    await kit.sandbox.close();
  });

  /** Rounds until the mail is sent or given up, Graph answering the fixture `times` times. */
  async function deliverThrottled(times: number) {
    kit.sandbox.serveFixture(THROTTLED, { method: 'POST', path: /\/sendMail$/, times });
    const waits: number[] = [];
    for (let round = 0; round < 50; round++) {
      await worker.runOnce();
      const job = await incidents.database
        .selectFrom('comms_deliveries')
        .selectAll()
        .executeTakeFirstOrThrow();
      if (job.state !== 'pending') return { waits, job };

      waits.push(Date.parse(job.next_attempt_at) - now.getTime());
      now = new Date(job.next_attempt_at);
    }
    throw new Error('the mail was neither sent nor given up');
  }

  it('waits the Retry-After first, then longer each time, within DELIVERY_RETRY_MAX_MS', async () => {
    const { waits, job } = await deliverThrottled(4);

    assert.equal(job.state, 'sent');
    // Backoff steps of 2, 4 and 4 s (the cap), at least half of each after jitter.
    assert.deepEqual(
      waits.map((ms, i) => ms >= [1000, 1000, 2000, 2000][i] && ms <= [1100, 2000, 4000, 4000][i]),
      [true, true, true, true],
      `waited ${waits.join(', ')} ms`,
    );
  });

  it('gives the mail up after its budget of 429s, saying why, within a bounded wait', async () => {
    const { waits, job } = await deliverThrottled(50);

    const waited = waits.reduce((sum, ms) => sum + ms, 0);
    assert.match(job.last_error ?? '', /^gave up after 6 throttled attempts: throttled \(429/);
    assert.ok(
      sendMails(kit.sandbox).length === MAX_THROTTLES + 1 && waited <= 1100 + 4 * 4000,
      `waited ${waits.join(', ')} ms`,
    );
  });
});

describe('GraphMailSender on a 429', () => {
  let kit: SandboxWithClient;
  let mailer: GraphMailSender;

  beforeEach(async () => {
    kit = await startSandboxWithClient();
    mailer = new GraphMailSender(kit.client, SANDBOX_USERS.riley.userPrincipalName, silentLogger);
  });

  afterEach(async () => {
    await kit.sandbox.close();
  });

  it('hands back a Retry-After far longer than the Graph client would wait, untouched', async () => {
    kit.sandbox.addFault({
      method: 'POST',
      path: /\/sendMail$/,
      status: 429,
      headers: { 'Retry-After': '120' },
      times: 1,
    });

    const outcome = await mailer.send('exec@contoso.example', 'Update', '<p>Hi</p>');

    assert.deepEqual(outcome, {
      kind: 'retry-after',
      ms: 120_000,
      status: 429,
      code: 'TooManyRequests',
    });
    assert.deepEqual(kit.waits, []);
  });
});

function sendMails(graph: SandboxGraph) {
  return graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/sendMail'));
}
