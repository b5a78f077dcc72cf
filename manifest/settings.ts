import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** The project root: manifest/ sits directly under it. */
export const ROOT = join(__dirname, '..');

/**
 * Who publishes the app; Teams shows these on the app's details page. The URLs are placeholders:
 * change them to your own pages before you upload the package to a tenant.
 */
export const PUBLISHER = {
  name: 'Teams Incident Bot contributors',
  websiteUrl: 'https://incident-bot.example.org',
  privacyUrl: 'https://incident-bot.example.org/privacy',
  termsOfUseUrl: 'https://incident-bot.example.org/terms',
} as const;

export interface PackageSettings {
  /** The Teams app id (a GUID): TEAMS_APP_ID, else the bot's id. */
  appId: string;
  /** The Azure Bot registration's Entra app id: MicrosoftAppId. */
  botId: string;
  /** The bot's public host name: BOT_DOMAIN. It also serves the status page. */
  botDomain: string;
  /** package.json's version. */
  version: string;
  /** Settings that came from manifest/defaults.env, i.e. placeholders, not a real deployment. */
  placeholders: string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Where settings come from, first match wins: the environment, then `.env`, then the defaults. */
export const DEFAULT_ENV_FILES = [join(ROOT, '.env'), join(ROOT, 'manifest', 'defaults.env')];

/**
 * Reads the packaging settings. Empty values count as unset, so an `.env` copied from
 * `.env.example` falls through to the defaults. Throws one error naming every bad setting.
 */
export function readPackageSettings(
  env: NodeJS.ProcessEnv = process.env,
  envFiles: string[] = DEFAULT_ENV_FILES,
): PackageSettings {
  const sources: Array<{ name: string; values: NodeJS.ProcessEnv }> = [
    { name: 'environment', values: env },
    ...envFiles
      .filter((file) => existsSync(file))
      .map((file) => ({ name: file, values: parseEnv(readFileSync(file, 'utf8')) })),
  ];
  const placeholders: string[] = [];
  const lookup = (key: string): string => {
    for (const source of sources) {
      const value = source.values[key]?.trim();
      if (!value) continue;
      if (source.name.endsWith('defaults.env')) placeholders.push(key);
      return value;
    }
    return '';
  };

  const botId = lookup('MicrosoftAppId');
  const appId = lookup('TEAMS_APP_ID') || botId;
  const botDomain = lookup('BOT_DOMAIN');
  const version = readPackageVersion();

  const problems: string[] = [];
  if (!GUID.test(botId)) problems.push(`MicrosoftAppId must be a GUID, got "${botId}"`);
  if (!GUID.test(appId)) problems.push(`TEAMS_APP_ID must be a GUID, got "${appId}"`);
  if (!HOST_NAME.test(botDomain)) {
    problems.push(`BOT_DOMAIN must be a host name without scheme or path, got "${botDomain}"`);
  }
  if (!SEMVER.test(version)) problems.push(`package.json version must be x.y.z, got "${version}"`);
  if (problems.length > 0) throw new Error(`Cannot build the app package: ${problems.join('; ')}`);

  return { appId, botId, botDomain: botDomain.toLowerCase(), version, placeholders };
}

function readPackageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '';
}
