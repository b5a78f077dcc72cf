import assert from 'node:assert/strict';
import { commsStateOf } from '../../src/sandbox/routes-comms';
import { SANDBOX_USERS } from '../../src/sandbox/seed-tenant';
import { GraphMailSender } from '../../src/graph/graph-comms';
import {
  fixture,
  silentLogger,
  startSandboxWithClient,
  type SandboxWithClient,
} from '../sandbox/sandbox-kit';
import { BotHarness, channelCommand } from '../support/bot-harness';
import { COMMS_TENANT, FAST_DELIVERY, roomCommand, waitUntil } from '../support/comms-kit';

describe('an e-mail update Graph throttles with 429 and Retry-After (G11)', () => {
  let bot: BotHarness;
  let gapMs = 0;
  let report = '';

  before(async () => {
    bot = await BotHarness.start({
      env: {
        ...FAST_DELIVERY,
        MAIL_SENDER: SANDBOX_USERS.riley.userPrincipalName,
        STAKEHOLDER_EMAILS: 'exec@contoso.example',
        // A wait counted as a failure would give the mail up at once.
        DELIVERY_MAX_ATTEMPTS: '1',
      },
    });
    // The recorded answer ("retry-after": "1"), served to the first sendMail.
    bot.graph.serveFixture(fixture('11-429-throttled-retry-after'), {
      method: 'POST',
      path: /\/sendMail$/,
    });
    await bot.send(channelCommand('declare Exchange Online mail delays sev2'));
    const [incident] = await bot.app.store.listIncidents(COMMS_TENANT, {
      openOnly: false,
      limit: 1,
    });
    const room = incident.place!.conversationId;

    await bot.send(roomCommand(room, 'update Mail is delayed.'));
    await waitUntil('the throttled try', () => sendMails(bot).length === 1);
    const throttledAt = Date.now();
    await waitUntil('the mail', () => commsStateOf(bot.graph.state).mails.length === 1);
    gapMs = Date.now() - throttledAt;
    await bot.send(roomCommand(room, 'comms'));
    report = bot.connector.sent().at(-1)?.body?.text ?? '';
  });

  after(async () => {
    await bot.stop();
  });

  it("sends it again only after Graph's Retry-After, not after our own shorter backoff", () => {
    assert.equal(sendMails(bot).length, 2);
    // FAST_DELIVERY's backoff would come back within tens of ms; the fixture says 1 s.
    assert.ok(gapMs >= 950, `came back after ${gapMs} ms`);
  });

  it('makes each try one request, so the wait never outlasts a lease, and counts no failure', () => {
    assert.ok(sendMails(bot).every((r) => r.headers['retry-attempt'] === undefined));
    assert.match(report, /Update 1 by .*: 3 sent, 0 pending, 0 failed/);
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

function sendMails(bot: BotHarness) {
  return bot.graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/sendMail'));
}
