import assert from 'node:assert/strict';
import { healthOf } from '../../src/sandbox/routes-health';
import { BotHarness, channelCommand } from '../support/bot-harness';
import { answerTo } from './health-kit';

const OVERVIEWS = '/v1.0/admin/serviceAnnouncement/healthOverviews';

describe('the health command', () => {
  let bot: BotHarness;

  before(async () => {
    bot = await BotHarness.start();
  });

  after(() => bot.stop());

  afterEach(() => {
    bot.graph.clearFaults();
    healthOf(bot.graph.state).pageSize = 100;
  });

  it('lists the degraded services first and the operational ones in one line', async () => {
    const text = await answerTo(bot, channelCommand('health'));

    assert.match(text, /2 services need attention · 10 operational/);
    assert.match(
      text,
      /Microsoft Teams\n · Degraded[^]*SharePoint Online\n · Degraded[^]*Operational: \nExchange Online, Microsoft 365 apps,[^\n]*Power BI\n/,
    );
  });

  it('shows each open issue with its id, classification, status and start time', async () => {
    const text = await answerTo(bot, channelCommand('health'));

    assert.match(text, /TM512345 · Incident · Degraded · since \d\d \w{3} \d{4}, \d\d:\d\d/);
    assert.match(text, /SP498765 · Advisory · Degraded/);
  });

  it('gives times in the reader’s zone and says which', async () => {
    const zone = [{ type: 'clientInfo', timezone: 'Asia/Kolkata' }];
    const activity = channelCommand('health', {
      entities: [...channelCommand('').entities, ...zone],
    });
    const [teams] = healthOf(bot.graph.state).overviews.filter((o) => o.id === 'microsoftteams');
    const started = new Date((teams.issues as Array<{ startDateTime: string }>)[0].startDateTime);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Kolkata',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(started);

    const text = await answerTo(bot, activity);

    assert.match(text, /Times in Asia\/Kolkata/);
    assert.match(text, new RegExp(`TM512345 · Incident · Degraded · since [^·]*${local}`));
  });

  it('answers with or without a slash and the incident prefix', async () => {
    const slashed = await answerTo(bot, channelCommand('/incident health'));
    const bare = await answerTo(bot, channelCommand('/health'));

    assert.match(slashed, /^Microsoft 365 service health/);
    assert.match(bare, /^Microsoft 365 service health/);
  });

  it('shows one service with the issue it resolved yesterday', async () => {
    const text = await answerTo(bot, channelCommand('health exchange online'));

    assert.match(text, /^Service health · \nExchange Online\n0 open issues · 1 resolved/);
    assert.match(text, /EX226574 · Advisory · Service restored · since .* · ended /);
  });

  it('finds a service by part of its name, and names the candidates when several match', async () => {
    const teams = await answerTo(bot, channelCommand('health teams'));
    const several = await answerTo(bot, channelCommand('health microsoft'));

    assert.match(teams, /^Service health · \nMicrosoft Teams\n1 open issue/);
    assert.match(several, /More than one service matches: Microsoft Teams, Microsoft 365 suite/);
  });

  it('says so for a service that does not exist', async () => {
    const text = await answerTo(bot, channelCommand('health Lotus Notes'));

    assert.match(text, /No Microsoft 365 service has that name/);
  });

  it('reads every page when Graph pages the services', async () => {
    healthOf(bot.graph.state).pageSize = 5;
    const before = bot.graph.requests.length;

    const text = await answerTo(bot, channelCommand('health'));

    assert.match(text, /2 services need attention · 10 operational/);
    assert.equal(bot.graph.requests.slice(before).filter((r) => r.path === OVERVIEWS).length, 3);
  });

  it('names the permission the app lacks when Graph answers 403', async () => {
    bot.graph.failNext('GET', OVERVIEWS, 403);

    const text = await answerTo(bot, channelCommand('health'));

    assert.match(text, /needs the Microsoft Graph application permission ServiceHealth\.Read\.All/);
    assert.doesNotMatch(text, /Injected|innerError/);
  });

  it('is on the help card', async () => {
    const text = await answerTo(bot, channelCommand('help'));

    assert.match(text, /health \\\[service\\\]/);
    assert.match(text, /health link \\<issue id\\>/);
  });
});
