import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig, SETTING_NAMES } from '../src/config';

const ROOT = join(__dirname, '..');

// Read before the settings (src/env-file.ts) or by `npm run package`: not src/config.ts's.
const OTHER_TOOLS = new Set(['ENV_FILE', 'BOT_DOMAIN', 'TEAMS_APP_ID']);

// The least any parse needs; the tests compare everything else.
const REQUIRED = {
  MicrosoftAppId: '00000000-0000-4000-8000-0000000000a1',
  ALLOWED_TENANT_IDS: '00000000-0000-4000-8000-0000000000a2',
};

interface ReadmeRow {
  names: string[];
  /** The default cell's values, or undefined when it describes the default in words. */
  defaults: string[] | undefined;
}

/** The rows of the README's settings table. */
function readmeRows(): ReadmeRow[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('\n## Settings\n')[1].split('\n## ')[0];
  const ticked = (cell: string) => [...cell.matchAll(/`([^`]*)`/g)].map((match) => match[1]);

  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [, names, defaults] = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
      // "`1000` / `300000`" and "`10485760` (10 MB)" are values; "logs, exports…" is prose.
      const words = defaults.replace(/`[^`]*`|\/|\([^)]*\)/g, '').trim();
      return { names: ticked(names), defaults: words === '' ? ticked(defaults) : undefined };
    });
}

function exampleSettings(): Record<string, string | undefined> {
  return parseEnv(readFileSync(join(ROOT, '.env.example'), 'utf8'));
}

const botSettings = (names: string[]) => names.filter((name) => !OTHER_TOOLS.has(name)).sort();

// An empty setting parses to a key holding undefined, an unset one to no key: the same to a reader.
const plain = (value: unknown) => JSON.stringify(value);

const isUnset = (value: unknown) =>
  value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

describe('the settings as the README and .env.example describe them', () => {
  it('lists in the README table every setting src/config.ts reads, and no other', () => {
    const names = readmeRows().flatMap((row) => row.names);

    assert.deepEqual(botSettings(names), [...SETTING_NAMES].sort());
  });

  it('lists in .env.example every setting src/config.ts reads, and no other', () => {
    const names = Object.keys(exampleSettings());

    assert.deepEqual(botSettings(names), [...SETTING_NAMES].sort());
  });

  it('gives each setting its default in .env.example, but NODE_ENV, which it sets to production', () => {
    const example = exampleSettings();

    const fromExample = loadConfig({ ...example, ...REQUIRED, NODE_ENV: 'development' });

    assert.equal(example.NODE_ENV, 'production');
    assert.deepEqual(JSON.parse(plain(fromExample)), JSON.parse(plain(loadConfig(REQUIRED))));
  });

  it('names in the README table the default src/config.ts uses', () => {
    const defaults = loadConfig(REQUIRED);
    const wrong: string[] = [];

    for (const row of readmeRows()) {
      row.names.forEach((name, index) => {
        if (OTHER_TOOLS.has(name) || name in REQUIRED || !row.defaults) return;
        const key = name as keyof typeof defaults;
        const said = row.defaults[index];
        const right =
          said === undefined
            ? isUnset(defaults[key])
            : plain(loadConfig({ ...REQUIRED, [name]: said })[key]) === plain(defaults[key]);
        if (!right) wrong.push(`${name}: README says "${said ?? ''}"`);
      });
    }

    assert.deepEqual(wrong, []);
  });
});
