import * as ACData from 'adaptivecards-templating';
import { existsSync, readFileSync } from 'node:fs';
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

export function listCardTemplates(): string[] {
  return require('node:fs')
    .readdirSync(CARDS_DIR)
    .filter((file: string) => file.endsWith('.json'))
    .map((file: string) => file.replace(/\.json$/, ''));
}
