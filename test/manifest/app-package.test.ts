import { AppManifestUtils } from '@microsoft/app-manifest';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import { fromBuffer, type Entry } from 'yauzl';
import { buildPackage, PACKAGE_FILES } from '../../manifest/build-package';
import { readPackageSettings, type PackageSettings } from '../../manifest/settings';

const SETTINGS: PackageSettings = {
  appId: '2b5c7f10-8e7e-4a0c-9d55-0f3a1c2b4d6e',
  botId: '9a1e4c3d-6b2f-4f81-8c7a-5e0d2b1f3a49',
  botDomain: 'incidents.contoso.example',
  version: '1.4.2',
  placeholders: [],
};

/** The commands users type, as the issue lists them. */
const COMMANDS = [
  'declare', 'status', 'sev', 'assign', 'note', 'timeline', 'list', 'help',
  'update', 'subscribe', 'unsubscribe', 'comms', 'feedback', 'security', 'hunt', 'audit',
  'health',
]; // prettier-ignore

interface Manifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  icons: { color: string; outline: string };
  bots: Array<{
    botId: string;
    scopes: string[];
    commandLists: Array<{
      scopes: string[];
      commands: Array<{ title: string; description: string }>;
    }>;
  }>;
  composeExtensions: Array<{
    botId: string;
    commands: Array<{ id: string; type: string; context: string[]; fetchTask: boolean }>;
  }>;
  validDomains: string[];
  webApplicationInfo: { id: string; resource: string };
}

/** The entries of a zip, in the order they are stored. */
function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      file.on('entry', (entry: Entry) => {
        file.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
        });
      });
      file.on('end', () => resolve(entries));
      file.on('error', reject);
      file.readEntry();
    });
  });
}

describe('app package', () => {
  let zip: Buffer;
  let files: Map<string, Buffer>;
  let manifest: Manifest;

  before(async () => {
    zip = await buildPackage(SETTINGS);
    files = await unzip(zip);
    manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Manifest;
  });

  it('holds manifest.json, color.png and outline.png at the root, and nothing else', () => {
    assert.deepEqual([...files.keys()], [...PACKAGE_FILES]);
    assert.deepEqual([manifest.icons.color, manifest.icons.outline], ['color.png', 'outline.png']);
  });

  it('is byte-for-byte the same when built again', async () => {
    const again = await buildPackage(SETTINGS);
    assert.ok(again.equals(zip));
  });

  describe('manifest.json', () => {
    it('validates against the official schema shipped in @microsoft/app-manifest', async () => {
      const version = /\/teams\/v(\d+\.\d+)\//.exec(manifest.$schema)?.[1];
      const shipped = join(
        dirname(require.resolve('@microsoft/app-manifest')),
        `json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
      );
      assert.ok(existsSync(shipped), `no local schema for ${manifest.$schema}`);
      assert.deepEqual(await AppManifestUtils.validateAgainstSchema(manifest as never), []);
    });

    it('fails validation with a thirteenth command in a list: 12 is the limit', async () => {
      const crowded = structuredClone(manifest);
      const list = crowded.bots[0].commandLists[0];
      while (list.commands.length < 13) list.commands.push({ title: 'extra', description: 'x' });
      const errors = await AppManifestUtils.validateAgainstSchema(crowded as never);
      assert.match(errors.join('\n'), /commands must NOT have more than 12 items/);
    });

    it('uses schema 1.22 or newer, and says the same version in manifestVersion', () => {
      const [major, minor] = manifest.manifestVersion.split('.').map(Number);
      assert.ok(major > 1 || (major === 1 && minor >= 22));
      assert.ok(manifest.$schema.includes(`/v${manifest.manifestVersion}/`));
    });

    it('fills the app id, bot id, domain and version from the settings', () => {
      assert.equal(manifest.id, SETTINGS.appId);
      assert.deepEqual(
        [
          manifest.bots[0].botId,
          manifest.composeExtensions[0].botId,
          manifest.webApplicationInfo.id,
          manifest.validDomains,
          manifest.version,
        ],
        [SETTINGS.botId, SETTINGS.botId, SETTINGS.botId, [SETTINGS.botDomain], SETTINGS.version],
      );
    });

    it('leaves no placeholder unfilled', () => {
      assert.doesNotMatch(files.get('manifest.json')!.toString('utf8'), /\{\{|\}\}/);
    });

    it('offers the bot in team, personal and group chats, one command list each', () => {
      const bot = manifest.bots[0];
      assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
      assert.deepEqual(
        bot.commandLists.map((list) => list.scopes),
        [['team'], ['groupChat'], ['personal']],
      );
    });

    it('lists every command users type in at least one scope', () => {
      const listed = manifest.bots[0].commandLists.flatMap((list) => list.commands);
      assert.deepEqual(
        [...new Set(listed.map((command) => command.title))].sort(),
        [...COMMANDS].sort(),
      );
    });

    it('gives each command one single-line description wherever it is listed', () => {
      const descriptions = new Map<string, Set<string>>();
      for (const list of manifest.bots[0].commandLists) {
        for (const { title, description } of list.commands) {
          descriptions.set(title, (descriptions.get(title) ?? new Set()).add(description));
        }
      }
      const varied = [...descriptions].filter(([, texts]) => texts.size !== 1);
      assert.deepEqual(varied, []);
      assert.ok([...descriptions.values()].every((texts) => !/\n/.test([...texts][0])));
    });

    it('declares the two message actions, opened as dialogs from a message', () => {
      const actions = manifest.composeExtensions[0].commands;
      assert.deepEqual(
        actions.map(({ id, type, context, fetchTask }) => ({ id, type, context, fetchTask })),
        [
          { id: 'declareIncident', type: 'action', context: ['message'], fetchTask: true },
          { id: 'addToTimeline', type: 'action', context: ['message'], fetchTask: true },
        ],
      );
    });
  });

  describe('icons', () => {
    it('are 192×192 for color.png and 32×32 for outline.png', () => {
      const color = PNG.sync.read(files.get('color.png')!);
      const outline = PNG.sync.read(files.get('outline.png')!);
      assert.deepEqual([color.width, color.height], [192, 192]);
      assert.deepEqual([outline.width, outline.height], [32, 32]);
    });

    it('draw the outline white on a transparent background', () => {
      const { data } = PNG.sync.read(files.get('outline.png')!);
      const pixels = Array.from({ length: data.length / 4 }, (_, i) =>
        data.subarray(i * 4, i * 4 + 4),
      );
      const stray = pixels.filter(
        ([r, g, b, a]) => a !== 0 && (r !== 255 || g !== 255 || b !== 255),
      );
      assert.equal(stray.length, 0, 'every visible pixel is white');
      const opaque = pixels.filter(([, , , a]) => a === 255).length;
      assert.ok(opaque > 100 && data[3] === 0, 'a visible shape on a transparent corner');
    });

    it('draw the color icon fully opaque', () => {
      const { data } = PNG.sync.read(files.get('color.png')!);
      assert.ok(data.every((value, i) => i % 4 !== 3 || value === 255));
    });
  });
});

describe('readPackageSettings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'package-settings-'));
  const defaults = join(dir, 'defaults.env');
  writeFileSync(
    defaults,
    'MicrosoftAppId=00000000-0000-0000-0000-000000000000\nBOT_DOMAIN=bot.example.org\n',
  );

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the bot id as app id unless TEAMS_APP_ID is set', () => {
    const env = { MicrosoftAppId: SETTINGS.botId, BOT_DOMAIN: SETTINGS.botDomain };
    assert.equal(readPackageSettings(env, []).appId, SETTINGS.botId);
    assert.equal(
      readPackageSettings({ ...env, TEAMS_APP_ID: SETTINGS.appId }, []).appId,
      SETTINGS.appId,
    );
  });

  it('prefers the environment, skips empty values and names the placeholders used', () => {
    const settings = readPackageSettings({ MicrosoftAppId: SETTINGS.botId, BOT_DOMAIN: '' }, [
      defaults,
    ]);
    assert.deepEqual([settings.botId, settings.botDomain], [SETTINGS.botId, 'bot.example.org']);
    assert.deepEqual(settings.placeholders, ['BOT_DOMAIN']);
  });

  it('takes the version from package.json', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
    assert.equal(readPackageSettings({}, [defaults]).version, pkg.version);
  });

  it('refuses a domain with a scheme and an id that is not a GUID, naming both', () => {
    const env = { MicrosoftAppId: 'my-bot', BOT_DOMAIN: 'https://bot.example.org/' };
    assert.throws(() => readPackageSettings(env, []), /MicrosoftAppId must be a GUID/);
    assert.throws(() => readPackageSettings(env, []), /BOT_DOMAIN must be a host name/);
  });
});
