import type * as AdaptiveCardsApi from 'adaptivecards';
import { escapeMarkdown } from '../../src/cards/markdown';

// The package entry does not load under Node (ERR_MODULE_NOT_FOUND); its UMD bundle does, and
// parsing and validation need no DOM.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsApi;

/** What Teams renders for bot cards, dialogs and message extensions. */
const MAX_VERSION = AC.Versions.v1_5;

/** Teams answers 413 above about 100 KB per message; the docs advise staying at or under 80 KB. */
export const PAYLOAD_LIMIT_BYTES = 80 * 1024;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface RendererEvent {
  event: string;
  message: string;
  /** The id of the element or action the event is about, when it has one. */
  sourceId?: string;
}

/** Every event the official renderer raises while parsing and validating the card at 1.5. */
export function rendererEvents(card: object): RendererEvent[] {
  const context = new AC.SerializationContext(MAX_VERSION);
  const parsed = new AC.AdaptiveCard();
  parsed.maxVersion = MAX_VERSION;
  parsed.parse(card, context);

  const events = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i));
  events.push(...parsed.validateProperties().validationEvents);

  return events.map((event) => ({
    event: AC.ValidationEvent[event.event],
    message: event.message,
    sourceId: (event.source as { id?: string } | undefined)?.id,
  }));
}

/**
 * Ids of Teams people pickers: Input.ChoiceSets whose choices come from a Teams people dataset
 * through `choices.data` (a Data.Query).
 */
export function peoplePickerIds(card: object): Set<string> {
  const ids = new Set<string>();
  walk(card, (node) => {
    const query = node['choices.data'] as { type?: string; dataset?: string } | undefined;
    if (
      node.type === 'Input.ChoiceSet' &&
      typeof node.id === 'string' &&
      query?.type === 'Data.Query' &&
      query.dataset?.startsWith('graph.microsoft.com/users')
    ) {
      ids.add(node.id);
    }
  });
  return ids;
}

/**
 * The renderer events left once the people picker is allowed for. Teams renders its people picker
 * in cards of version 1.2 and later (Teams' People Picker docs show it in a 1.2 card), but the
 * Adaptive Cards spec only added Data.Query in 1.6, so the 1.5 renderer reports exactly two
 * things about a picker: that `choices.data` is a 1.6 property, and that the static `choices`
 * are empty (a picker's choices come from the dataset). Those two, on picker inputs only, are
 * allowed; any other event on a picker, and every event elsewhere, still counts.
 */
export function unexpectedRendererEvents(card: object): RendererEvent[] {
  const pickers = peoplePickerIds(card);
  return rendererEvents(card).filter((event) => {
    const onPicker = event.sourceId !== undefined && pickers.has(event.sourceId);
    const pickerVersion =
      event.event === 'UnsupportedProperty' && event.message.includes('"choices.data"');
    const pickerChoices = event.event === 'CollectionCantBeEmpty';
    return !(onPicker && (pickerVersion || pickerChoices));
  });
}

export interface UserText {
  /** User text that looks like template syntax; it may appear, exactly as typed or escaped. */
  lookalikes: string[];
  /** User markdown; in a TextBlock or a fact it must appear escaped, never as typed. */
  markdown: string[];
}

/** Rules of ours that the renderer does not check. Returns one line per broken rule. */
export function ruleViolations(card: object, template: object, user: UserText): string[] {
  const problems: string[] = [];
  const templateTypes = new Set<unknown>();
  walk(template, (node) => templateTypes.add(node.type));

  walk(card, (node, path) => {
    if (node.type === 'Action.Execute' && !nonEmpty(node.verb)) {
      problems.push(`${path}: Action.Execute without a verb`);
    }
    if (node.type === 'Action.Execute' && !path.startsWith('$.refresh')) {
      const problem = fallbackProblem(node);
      if (problem) problems.push(`${path}: ${problem}`);
    }
    if (typeof node.type === 'string' && node.type.startsWith('Input.') && node.isRequired) {
      if (!nonEmpty(node.label)) problems.push(`${path}: required input without a label`);
      if (!nonEmpty(node.errorMessage)) {
        problems.push(`${path}: required input without an error message`);
      }
    }
    if (node.type !== undefined && !templateTypes.has(node.type)) {
      problems.push(`${path}: type ${String(node.type)} is not in the template (injected?)`);
    }
    for (const key of Object.keys(node)) {
      if (key.startsWith('$') && key !== '$schema') {
        problems.push(`${path}: template key ${key} survived expansion`);
      }
    }
    const markdownTexts =
      node.type === 'TextBlock' ? [node.text] : node.type === 'FactSet' ? facts(node) : [];
    for (const text of markdownTexts) {
      // Teams drops what looks like an HTML tag from markdown text: "declare <title>" shows
      // as "declare ". A placeholder must be written \<title\>.
      if (typeof text === 'string' && /(?<!\\)<[A-Za-z]/.test(text)) {
        problems.push(`${path}: unescaped <…> in markdown text is dropped by Teams`);
      }
      for (const raw of user.markdown) {
        if (typeof text === 'string' && text.includes(raw)) {
          problems.push(`${path}: user markdown ${raw} reaches markdown unescaped`);
        }
      }
    }
  });

  walkStrings(card, (text, path) => {
    if (leftoverTemplateExpression(text, user.lookalikes)) {
      problems.push(`${path}: template expression survived expansion: ${text.slice(0, 80)}`);
    }
    if (LONE_SURROGATE.test(text)) {
      problems.push(`${path}: half an emoji (a lone surrogate), from cutting text by UTF-16 units`);
    }
  });

  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf16le');
  if (bytes > PAYLOAD_LIMIT_BYTES) {
    problems.push(`payload is ${bytes} bytes in UTF-16, over ${PAYLOAD_LIMIT_BYTES}`);
  }
  return problems;
}

/**
 * Clients without Universal Actions show an Action.Execute's fallback instead. The bot answers an
 * Action.Submit by the `verb` in its data, so the fallback must carry the verb and the same data.
 */
function fallbackProblem(execute: Record<string, unknown>): string | undefined {
  const fallback = execute.fallback as Record<string, unknown> | undefined;
  if (fallback?.type !== 'Action.Submit') return 'Action.Execute without an Action.Submit fallback';
  const data = (fallback.data ?? {}) as Record<string, unknown>;
  const expected = { ...(execute.data as object | undefined), verb: execute.verb };
  const differs = Object.entries(expected).some(
    ([key, value]) => JSON.stringify(data[key]) !== JSON.stringify(value),
  );
  return differs ? 'fallback Action.Submit data differs from the Action.Execute verb and data' : '';
}

/** The card as a client without Universal Actions sees it: each Action.Execute is its fallback. */
export function withFallbacks(card: object): object {
  const swap = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(swap);
    if (!node || typeof node !== 'object') return node;
    const object = node as Record<string, unknown>;
    if (object.type === 'Action.Execute' && object.fallback) return swap(object.fallback);
    return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, swap(value)]));
  };
  return swap(card) as object;
}

/**
 * True when `text` holds a `${` that did not come from user text. User text may arrive as typed,
 * escaped for markdown, or cut short by a builder; a cut leaves a prefix of the user text at the
 * end of the string.
 */
export function leftoverTemplateExpression(text: string, lookalikes: string[]): boolean {
  const forms = lookalikes.flatMap((lookalike) => [lookalike, escapeMarkdown(lookalike)]);
  for (let at = text.indexOf('${'); at !== -1; at = text.indexOf('${', at + 2)) {
    const rest = text.slice(at);
    const fromUser = forms.some((form) => rest.startsWith(form) || form.startsWith(rest));
    if (!fromUser) return true;
  }
  return false;
}

/** Every string value in the card, with its path. */
export function walkStrings(
  node: unknown,
  visit: (text: string, path: string) => void,
  path = '$',
) {
  if (typeof node === 'string') visit(node, path);
  else if (Array.isArray(node))
    node.forEach((item, i) => walkStrings(item, visit, `${path}[${i}]`));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) walkStrings(value, visit, `${path}.${key}`);
  }
}

/** Every object in the card (elements, actions, inlines, the card itself), with its path. */
export function walk(
  node: unknown,
  visit: (node: Record<string, unknown>, path: string) => void,
  path = '$',
): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, visit, `${path}[${i}]`));
  } else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>, path);
    for (const [key, value] of Object.entries(node)) walk(value, visit, `${path}.${key}`);
  }
}

function facts(factSet: Record<string, unknown>): unknown[] {
  const list = Array.isArray(factSet.facts)
    ? (factSet.facts as Array<Record<string, unknown>>)
    : [];
  return list.flatMap((fact) => [fact.title, fact.value]);
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}
