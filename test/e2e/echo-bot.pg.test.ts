/**
 * End-to-end probe of the Agents Playground with the throwaway echo bot (scripts/playground/echo-bot.ts).
 * Run: npx mocha --no-config --require tsx/cjs --timeout 180000 test/e2e/echo-bot.pg.test.ts
 * Screenshots: /tmp/pg-e2e-*.png; bot activity log: /tmp/pg-e2e-activities.jsonl
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  INCIDENT_WORLD,
  withCurrentUser,
  writePlaygroundConfig,
} from '../../scripts/playground/config';
import {
  clickCardButton,
  launchBrowser,
  openChannel,
  openChat,
  openPlayground,
  screenshot,
  sendMessage,
  startBot,
  startPlayground,
  stopAll,
  thread,
  waitForCard,
  waitForText,
  type BrowserHandle,
  type PlaygroundHandle,
} from './playground-driver';

const BOT_PORT = 3979;
const PG_PORT = 56151;
const BOT = `http://127.0.0.1:${BOT_PORT}`;
const LOG = '/tmp/pg-e2e-activities.jsonl';
const TEAM = INCIDENT_WORLD.team.name;
const CH = Object.fromEntries(INCIDENT_WORLD.team.channels.map((c) => [c.name, c.id]));

interface Logged {
  kind: string;
  activity?: Record<string, any>;
  [k: string]: unknown;
}
function logged(): Logged[] {
  try {
    return readFileSync(LOG, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Logged);
  } catch {
    return [];
  }
}
function lastInbound(pred: (a: Record<string, any>) => boolean): Record<string, any> | undefined {
  return logged()
    .filter((e) => e.kind === 'inbound' && e.activity && pred(e.activity))
    .map((e) => e.activity!)
    .pop();
}
async function admin(path: string, body: unknown): Promise<any> {
  const r = await fetch(`${BOT}/admin/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return r.json();
}

describe('Agents Playground + echo bot (e2e)', function () {
  this.timeout(180_000);
  let dir: string;
  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  let pg: PlaygroundHandle | undefined;
  let ui: BrowserHandle | undefined;

  before(async () => {
    rmSync(LOG, { force: true });
    dir = mkdtempSync(join(tmpdir(), 'pg-world-'));
    writePlaygroundConfig(dir, INCIDENT_WORLD);
    bot = await startBot({
      entry: 'scripts/playground/echo-bot.ts',
      readyUrl: `${BOT}/api/messages`,
      env: { ECHO_PORT: String(BOT_PORT), ECHO_LOG: LOG },
    });
    pg = await startPlayground({
      configDir: dir,
      botEndpoint: `${BOT}/api/messages`,
      port: PG_PORT,
    });
    ui = await launchBrowser();
    await openPlayground(ui.page, pg.url);
  });

  after(async () => {
    await stopAll(ui, pg, bot);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads the configured world', async () => {
    const cfg = await pg!.config();
    assert.deepEqual(
      cfg.config.teams[0]!.channels.map((c) => c.name),
      ['General', 'Incidents', 'Stakeholders'],
    );
    assert.equal(cfg.config.teams[0]!.channels[0]!.id, INCIDENT_WORLD.team.id);
  });

  it('personal chat: help -> text + card', async () => {
    const page = ui!.page;
    await openChat(page, 'Personal Chat');
    await sendMessage(page, 'help');
    await waitForText(page, 'echo: help');
    await waitForCard(page, 'Echo card: help');
    await screenshot(page, '/tmp/pg-e2e-01-personal.png');
    const a = lastInbound((x) => x.type === 'message' && x.text === 'help')!;
    assert.equal(a.conversation.conversationType, 'personal');
    assert.equal(a.conversation.id, 'a:personal-chat-alex-incident-bot');
    assert.equal(a.from.aadObjectId, INCIDENT_WORLD.currentUserId);
    assert.equal(a.serviceUrl, pg!.connectorUrl);
  });

  it('channel: @mention -> card -> Action.Execute updates the card', async () => {
    const page = ui!.page;
    await openChannel(page, TEAM, 'Incidents');
    await sendMessage(page, 'declare sev2', { mention: 'Incident Bot' });
    const card = await waitForCard(page, 'Echo card: declare sev2');
    await screenshot(page, '/tmp/pg-e2e-02-channel-card.png');
    await clickCardButton(card, 'Press me');
    await waitForCard(page, /Pressed by Alex Wilber \(invoke\)/);
    await screenshot(page, '/tmp/pg-e2e-03-channel-pressed.png');
    const msg = lastInbound((x) => x.type === 'message' && /declare sev2/.test(x.text))!;
    assert.equal(msg.conversation.conversationType, 'channel');
    assert.match(
      msg.conversation.id,
      new RegExp(`^${CH.Incidents!.replace(/[.]/g, '\\.')};messageid=\\d+$`),
    );
    assert.equal(msg.channelData.channel.id, CH.Incidents);
    assert.equal(msg.channelData.team.id, INCIDENT_WORLD.team.id);
    assert.equal(msg.entities[0].type, 'mention');
    const inv = lastInbound((x) => x.type === 'invoke')!;
    assert.equal(inv.name, 'adaptiveCard/action');
    assert.equal(inv.value.action.verb, 'test.press');
  });

  it('channel: reply in thread with mention reaches the bot; without mention it does not', async () => {
    const page = ui!.page;
    await sendMessage(page, 'in-thread ping', {
      mention: 'Incident Bot',
      inThreadWith: 'declare sev2',
    });
    await waitForCard(thread(page, 'declare sev2'), 'Echo card: in-thread ping');
    await sendMessage(page, 'no mention here', { inThreadWith: 'declare sev2' });
    await page.waitForTimeout(1500);
    assert.equal(
      lastInbound((x) => x.text === 'no mention here'),
      undefined,
    );
    const root = lastInbound((x) => /declare sev2/.test(x.text ?? ''))!;
    const reply = lastInbound((x) => /in-thread ping/.test(x.text ?? ''))!;
    assert.equal(reply.conversation.id, root.conversation.id);
  });

  it('connector: proactive update, reply in thread, new thread in another channel', async () => {
    const page = ui!.page;
    const sent = logged()
      .filter((e) => e.kind === 'sent')
      .pop() as any;
    const root = lastInbound((x) => /in-thread ping/.test(x.text ?? ''))!;
    const upd = await admin('update', {
      conversationId: root.conversation.id,
      activityId: sent.r2.id,
      text: 'Updated from outside the turn',
    });
    assert.equal(upd.ok, true);
    await waitForCard(page, 'Updated from outside the turn');
    const rep = await admin('continue', {
      conversationId: root.conversation.id,
      text: 'proactive thread reply',
    });
    assert.equal(rep.ok, true);
    await waitForText(page, 'proactive thread reply');
    const nt = await admin('new-thread', {
      channelId: CH.Stakeholders,
      text: 'Stakeholder update #1',
    });
    assert.equal(nt.ok, true);
    assert.match(nt.result.conversationId, /;messageid=\d+$/);
    const bad = await admin('new-thread', { channelId: '19:unknown@thread.tacv2', text: 'x' });
    assert.equal(bad.ok, false);
    await screenshot(page, '/tmp/pg-e2e-04-proactive.png');
    await openChannel(page, TEAM, 'Stakeholders');
    await waitForText(page, 'Stakeholder update #1');
    await screenshot(page, '/tmp/pg-e2e-05-stakeholders.png');
  });

  it('customActivities: a message "from" another user reaches the bot; bot reply shows in the UI', async () => {
    const page = ui!.page;
    await openChannel(page, TEAM, 'Incidents');
    const root = lastInbound((x) => /in-thread ping/.test(x.text ?? ''))!;
    // Thread is client-side history: after switching channels the UI keeps it for this page load.
    const megan = INCIDENT_WORLD.users[1]!;
    await pg!.sendCustomActivity({
      ...root,
      id: `custom-${Date.now()}`,
      text: '<at>Incident Bot</at> megan via custom activity',
      from: { id: `29:${megan.id}`, name: megan.name, aadObjectId: megan.id },
    });
    await waitForText(page, 'echo: megan via custom activity');
    await screenshot(page, '/tmp/pg-e2e-06-custom-activity.png');
    const a = lastInbound((x) => /megan via custom/.test(x.text ?? ''))!;
    assert.equal(a.from.aadObjectId, megan.id);
  });

  it('switch current user = rewrite config + restart the Playground + reload the page', async () => {
    const megan = INCIDENT_WORLD.users[1]!;
    await pg!.stop();
    writePlaygroundConfig(dir, withCurrentUser(INCIDENT_WORLD, megan.id));
    pg = await startPlayground({
      configDir: dir,
      botEndpoint: `${BOT}/api/messages`,
      port: PG_PORT,
    });
    const page = ui!.page;
    await openPlayground(page, pg.url);
    await page.getByText('Megan Bowen').first().waitFor();
    await openChannel(page, TEAM, 'Incidents');
    await sendMessage(page, 'i am megan', { mention: 'Incident Bot' });
    await waitForCard(page, 'Echo card: i am megan');
    await screenshot(page, '/tmp/pg-e2e-07-megan.png');
    const a = lastInbound((x) => /i am megan/.test(x.text ?? ''))!;
    assert.equal(a.from.aadObjectId, megan.id);
    assert.equal(a.from.name, 'Megan Bowen');
  });
});

describe('Agents Playground config errors', function () {
  this.timeout(60_000);
  it('startPlayground rejects with the reason from the devTools log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-bad-'));
    writeFileSync(join(dir, '.m365agentsplayground.yml'), 'version: "0.1.1"\ntenantId: t\n');
    await assert.rejects(
      startPlayground({
        configDir: dir,
        botEndpoint: 'http://127.0.0.1:1/api/messages',
        port: 56159,
      }),
      /ConfigFileParseError/,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('stock schema (no patch) refuses two extra channels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-stock-'));
    writePlaygroundConfig(dir, INCIDENT_WORLD);
    await assert.rejects(
      startPlayground({
        configDir: dir,
        botEndpoint: 'http://127.0.0.1:1/api/messages',
        port: 56159,
        patchSchema: false,
      }),
      /must NOT have more than 1 items/,
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
