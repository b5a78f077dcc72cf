import { walk } from '../cards/card-rules';
import { roomCommand } from '../support/comms-kit';
import {
  BotHarness,
  cardOf,
  cardText,
  channelCommand,
  FIXTURE_TENANTS,
} from '../support/bot-harness';

export const TENANT = FIXTURE_TENANTS[0];

export { roomCommand };

/** Sends `text` and gives back what the bot answered: the card's text, else the reply's text. */
export async function answerTo(bot: BotHarness, activity: Record<string, any>): Promise<string> {
  const before = bot.connector.sent().length;
  await bot.send(activity);
  const sent = bot.connector.sent().slice(before).at(-1);
  return cardText(cardOf(sent?.body)) || String(sent?.body?.text ?? '');
}

/** The card the bot answered with. */
export async function cardFor(bot: BotHarness, activity: Record<string, any>): Promise<any> {
  await bot.send(activity);
  return cardOf(bot.connector.sent().at(-1)?.body);
}

/** Declares an incident in thread mode and gives back its id and its thread. */
export async function declareIncident(bot: BotHarness, title: string) {
  await bot.send(channelCommand(`declare ${title}`));
  const [incident] = await bot.app.store.listIncidents(TENANT, { openOnly: false, limit: 1 });
  return { id: incident.id, number: incident.number, room: incident.place!.conversationId };
}

/** The data of every "Add to timeline" button on a card. */
export function linkButtons(card: unknown): Array<{ incidentId: string; issueId: string }> {
  const found: Array<{ incidentId: string; issueId: string }> = [];
  walk(card, (node) => {
    if (node.type === 'Action.Execute' && node.verb === 'health.link') {
      found.push(node.data as { incidentId: string; issueId: string });
    }
  });
  return found;
}

export async function healthEntries(bot: BotHarness, incidentId: string) {
  const entries = await bot.app.store.listTimeline(incidentId, { offset: 0, limit: 50 });
  return entries.filter((entry) => entry.kind === 'health');
}
