import assert from 'node:assert/strict';
import { SANDBOX_DEFENDER_INCIDENT_ID } from '../../src/sandbox/security-seed';
import { BotHarness, cardOf, cardText } from '../support/bot-harness';
import {
  commandAs,
  graphFixture,
  pressAs,
  SANDBOX_USERS,
  sandboxSecurity,
  startSecurityBot,
} from './security-kit';

const { avery, jordan, riley } = SANDBOX_USERS;

describe('security evidence, hunting and the Defender link', () => {
  let bot: BotHarness;
  let incidentId: string;

  before(async () => {
    bot = await startSecurityBot();
    await bot.send(
      commandAs(
        avery,
        `declare Raspberry Robin outbreak sev1 defender:${SANDBOX_DEFENDER_INCIDENT_ID}`,
      ),
    );
    const [incident] = await bot.app.store.listIncidents('00000000-0000-4000-8000-000000000001', {
      openOnly: false,
      limit: 1,
    });
    incidentId = incident.id;
  });

  after(() => bot.stop());

  afterEach(() => bot.graph.clearFaults());

  async function lastCard(text: string, user = avery) {
    await bot.send(commandAs(user, text));
    const sent = bot.connector.sent().at(-1);
    return cardText(cardOf(sent?.body)) || String(sent?.body?.text ?? '');
  }

  it('takes defender:<id> off the title and links that Defender incident', async () => {
    const incident = await bot.app.store.getIncident(incidentId);

    assert.equal(incident?.title, 'Raspberry Robin outbreak');
    assert.match(await lastCard('INC-1 security'), /Defender incident\n2972395/);
  });

  it('shows the alerts with MITRE techniques and a link to the portal', async () => {
    const text = await lastCard('INC-1 security');

    assert.match(text, /Suspicious inbox manipulation rule\n · high\nMITRE T1564\.008, T1114\.003/);
    assert.match(text, /Open alert in the portal/);
  });

  it('shows one row per account, the deleted one as deleted and still processing', async () => {
    const text = await lastCard('INC-1 security');

    assert.equal(text.match(/Quinn Fictional/g)?.length, 1);
    assert.match(
      text,
      /Riley Placeholder[^]*deleted in Entra ID: nothing to contain · risk still processing/,
    );
  });

  it('skips malformed and unexpected Graph data instead of failing the card', async () => {
    const incident = structuredClone(graphFixture('03-incidents-expand-alerts').body) as any;
    const weird = incident.value[0];
    weird.alerts.push({ id: 'x', title: null, mitreTechniques: 'T1', evidence: 'nope' }, 42);
    weird.alerts[0].evidence.push({
      '@odata.type': '#microsoft.graph.security.USEREVIDENCE',
      userAccount: { azureAdUserId: 'placeholder' },
    });
    bot.graph.serveFixture(
      { request: { method: 'GET', url: '/x' }, status: 200, headers: {}, body: weird },
      { path: /\/security\/incidents\// },
    );
    bot.graph.serveFixture(
      {
        request: { method: 'GET', url: '/x' },
        status: 200,
        headers: {},
        body: {
          value: [
            { id: 'not-a-guid', riskLevel: 'high' },
            { id: SANDBOX_USERS.quinn.id, riskLevel: 'HIGH', riskState: 'AtRisk' },
            null,
          ],
        },
      },
      { path: /\/identityProtection\/riskyUsers$/ },
    );

    const text = await lastCard('INC-1 security');

    assert.match(text, /\(untitled alert\)/);
    assert.match(text, new RegExp(`Accounts at risk \\(1\\)\\n${SANDBOX_USERS.quinn.id}`));
  });

  it('names the missing permission when Defender refuses to be read', async () => {
    bot.graph.failNext('GET', /\/security\/incidents\//, 403);

    assert.match(await lastCard('INC-1 security'), /the app needs SecurityIncident\.Read\.All/);
  });

  it('runs a saved hunt, shows the first rows and the count, and notes it on the timeline', async () => {
    const text = await lastCard('INC-1 hunt signins quinn.fictional@contoso.example', jordan);

    const timeline = await bot.app.store.listTimeline(incidentId, { offset: 0, limit: 20 });
    assert.match(text, /2 rows; showing all[^]*Timestamp: \n2020-08-30T06:38:35\.7664356Z/);
    assert.ok(
      timeline.some((e) => e.kind === 'security' && /Recent sign-ins.*: 2 rows/.test(e.text)),
    );
  });

  it('reads a hunting schema in camelCase as well as PascalCase', async () => {
    sandboxSecurity(bot).hunting = {
      schema: [{ name: 'AccountUpn', type: 'String' }],
      results: [{ AccountUpn: 'quinn.fictional@contoso.example' }],
    };

    const text = await lastCard('INC-1 hunt oauth quinn.fictional@contoso.example');

    assert.match(text, /AccountUpn: \nquinn\.fictional@contoso\.example/);
  });

  it('refuses an account that could break out of the query', async () => {
    const text = await lastCard("INC-1 hunt signins x'or'1'=='1@contoso.example");

    assert.match(text, /Name the account by its sign-in name/);
    assert.ok(!sandboxSecurity(bot).huntingQueries.some((q) => q.includes("'or'")));
  });

  it('shows evidence, hunts and the audit only to security responders, recording refusals', async () => {
    const answers: string[] = [];
    for (const command of ['security', 'hunt signins avery.example@contoso.example', 'audit']) {
      answers.push(await lastCard(`INC-1 ${command}`, riley));
    }

    const audit = await lastCard('INC-1 audit', avery);
    assert.ok(answers.every((answer) => /^Not allowed: only security responders/.test(answer)));
    assert.match(audit, /Riley Placeholder/);
  });

  it('keeps free-form KQL for security responders', async () => {
    const refused = await lastCard('INC-1 hunt kql DeviceEvents | take 5', riley);
    const allowed = await lastCard('INC-1 hunt kql DeviceEvents | take 5', jordan);

    assert.match(refused, /Not allowed: only security responders may run hunting queries/);
    assert.match(allowed, /Free-form query/);
  });

  it('posts the resolve card with the Defender update in the war room on resolving', async () => {
    await bot.send(commandAs(avery, 'INC-1 status resolved'));

    await bot.connector.waitFor((calls) =>
      calls.some((call) => /Close the loop/.test(call.body?.text ?? '')),
    );
    const resolveCard = bot.connector.sent().find((c) => /Close the loop/.test(c.body?.text ?? ''));
    assert.match(cardText(cardOf(resolveCard?.body)), /Update Defender incident/);
  });

  it('updates the Defender incident from the card once the incident is resolved', async () => {
    const data = {
      incidentId,
      defenderStatus: 'resolved',
      classification: 'truePositive',
      determination: 'compromisedAccount',
    };

    const answer = await bot.send(pressAs(jordan, 'defender.update', data));

    const incident = sandboxSecurity(bot).incidents.get(SANDBOX_DEFENDER_INCIDENT_ID);
    assert.match(answer.body.value, /set to resolved \(truePositive, compromisedAccount\): done/);
    assert.equal(incident?.status, 'resolved');
  });

  it('offers the Defender update on the security card of a resolved incident', async () => {
    assert.match(await lastCard('INC-1 security'), /Update Defender incident/);
  });
});
