import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import { ACCENT_HEX, drawIcons } from './draw-icons';
import { PUBLISHER, readPackageSettings, ROOT, type PackageSettings } from './settings';

export const TEMPLATE_PATH = join(ROOT, 'manifest', 'manifest.template.json');
export const PACKAGE_PATH = join(ROOT, 'build', 'appPackage.zip');

/** The files at the root of the package, in the order they are written. */
export const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;

// A fixed local date: yazl writes DOS times from local fields, so every time zone gets the same
// bytes; the extended (UTC) timestamp field is left out for the same reason.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** Fills `{{TOKEN}}` placeholders in the template's string values; an unknown token throws. */
export function fillManifest(template: unknown, settings: PackageSettings): unknown {
  const values: Record<string, string> = {
    APP_ID: settings.appId,
    BOT_ID: settings.botId,
    BOT_DOMAIN: settings.botDomain,
    APP_VERSION: settings.version,
    ACCENT_COLOR: ACCENT_HEX,
    DEVELOPER_NAME: PUBLISHER.name,
    WEBSITE_URL: PUBLISHER.websiteUrl,
    PRIVACY_URL: PUBLISHER.privacyUrl,
    TERMS_OF_USE_URL: PUBLISHER.termsOfUseUrl,
  };
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(/\{\{([A-Z_]+)\}\}/g, (_, token: string) => {
        if (!(token in values)) throw new Error(`Unknown manifest placeholder {{${token}}}`);
        return values[token];
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    }
    return node;
  };
  return fill(template);
}

/** The manifest for these settings, as the package holds it. */
export function buildManifest(settings: PackageSettings): Record<string, unknown> {
  const template = JSON.parse(readFileSync(TEMPLATE_PATH, 'utf8')) as unknown;
  return fillManifest(template, settings) as Record<string, unknown>;
}

/** The package's bytes: the same settings always give the same zip. */
export async function buildPackage(settings: PackageSettings): Promise<Buffer> {
  const icons = drawIcons();
  const contents: Record<(typeof PACKAGE_FILES)[number], Buffer> = {
    'manifest.json': Buffer.from(`${JSON.stringify(buildManifest(settings), null, 2)}\n`, 'utf8'),
    'color.png': icons.color,
    'outline.png': icons.outline,
  };

  const zip = new ZipFile();
  for (const name of PACKAGE_FILES) {
    zip.addBuffer(contents[name], name, {
      mtime: FIXED_MTIME,
      mode: 0o100644,
      compress: true,
      forceDosTimestamp: true,
    });
  }
  zip.end();

  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function main(): Promise<void> {
  const settings = readPackageSettings();
  const zip = await buildPackage(settings);
  mkdirSync(join(ROOT, 'build'), { recursive: true });
  writeFileSync(PACKAGE_PATH, zip);

  console.log(
    `Wrote build/appPackage.zip: app ${settings.appId}, bot ${settings.botId}, ` +
      `domain ${settings.botDomain}, version ${settings.version}`,
  );
  if (settings.placeholders.length > 0) {
    console.warn(
      `Placeholders from manifest/defaults.env: ${settings.placeholders.join(', ')}. ` +
        'Set them in the environment or .env before uploading this package to Teams.',
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
