import * as ACData from 'adaptivecards-templating';
import { existsSync, readFileSync } from 'node:fs';
import { LRUCache } from 'lru-cache';
import { join, resolve } from 'node:path';

// A field missing from the data must render as nothing, never as a literal "${name}".
ACData.GlobalSettings.getUndefinedFieldValueSubstitutionString = () => '';

const templates = new Map<string, ACData.Template>();

/** `cards/` at the project root, from either `src/cards` or `dist/src/cards`. */
function cardsDir(): string {
  for (const up of ['../..', '../../..']) {
    const dir = resolve(__dirname, up, 'cards');
    if (existsSync(join(dir, 'incident-summary.json'))) return dir;
  }
  throw new Error('cards/ folder not found next to the project');
}

const CARDS_DIR = cardsDir();

/**
 * Expands `cards/<name>.json` with `data`. The template is parsed once and always expanded from
 * an object: expanding from a JSON string would let user text inject card elements.
 */
export function renderCard(name: string, data: object): Record<string, unknown> {
  let template = templates.get(name);
  if (!template) {
    const json = JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8')) as object;
    template = new ACData.Template(json);
    templates.set(name, template);
  }
  return template.expand({ $root: data }) as Record<string, unknown>;
}

/** Rendered parts kept for reuse; the bound is far above what the open incidents need. */
const parts = new LRUCache<string, object>({ max: 2000 });

/**
 * Expands `cards/parts/<name>.json`, a piece of a card that changes much less often than the card
 * around it (the summary card's buttons change with the status, not with every press), and
 * remembers the result by its data. Templating is the largest cost of a button press
 * (npm run bench), and most of the summary card is these buttons. The result is shared between
 * cards, so it is frozen: a card built from it may wrap it, never change it.
 */
export function renderPart(name: string, data: object): object {
  const key = `${name}\u0000${JSON.stringify(data)}`;
  const known = parts.get(key);
  if (known !== undefined) return known;

  const rendered = deepFreeze(renderCard(`parts/${name}`, data));
  parts.set(key, rendered);
  return rendered;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function listCardTemplates(): string[] {
  return require('node:fs')
    .readdirSync(CARDS_DIR)
    .filter((file: string) => file.endsWith('.json'))
    .map((file: string) => file.replace(/\.json$/, ''));
}
