import type restify from 'restify';
import type { Logger } from '../logger';
import { renderStatusAtom, renderStatusJson } from './feed-views';
import { renderStatusHtml } from './html-view';
import type { PublicStatus, StatusReader } from './public-status';
import { nameUuid } from './status-text';

export interface StatusPageOptions {
  reader: StatusReader;
  title: string;
  /** How long a resolved incident stays on the page. */
  resolvedDays: number;
  /** The one tenant whose incidents the page shows; it also names the Atom feed. */
  tenantId: string;
  clock: () => Date;
  logger: Logger;
}

const MAX_INCIDENTS = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

// No script, no frames, no forms: the page is read-only text, so the policy can forbid it all.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Short, so a new update shows within a minute even behind a shared cache.
  'Cache-Control': 'public, max-age=30',
};

/** GET /status, /status.json and /status.atom. Not called at all when the page is off. */
export function registerStatusPage(server: restify.Server, options: StatusPageOptions): void {
  // From the page's tenant, not the deployment's list: the feed keeps its id when tenants are
  // added to ALLOWED_TENANT_IDS (for a single tenant it is the id it had before).
  const feedId = feedIdOf(options.tenantId);

  const load = async (): Promise<PublicStatus> => {
    const now = options.clock();
    const resolvedSince = new Date(now.getTime() - options.resolvedDays * DAY_MS).toISOString();
    const incidents = await options.reader.publicIncidents({
      tenantId: options.tenantId,
      resolvedSince,
      limit: MAX_INCIDENTS,
    });
    return { title: options.title, generatedAt: now.toISOString(), incidents };
  };

  const serve =
    (contentType: string, render: (status: PublicStatus) => string) =>
    async (_req: restify.Request, res: restify.Response) => {
      try {
        const body = render(await load());
        res.sendRaw(200, body, { ...SECURITY_HEADERS, 'Content-Type': contentType });
      } catch (error) {
        options.logger.warn({ err: error }, 'status page could not be read');
        res.sendRaw(503, 'The status page is unavailable; try again shortly.', {
          ...SECURITY_HEADERS,
          'Content-Type': 'text/plain; charset=utf-8',
          'Cache-Control': 'no-store',
        });
      }
    };

  server.get('/status', serve('text/html; charset=utf-8', renderStatusHtml));
  server.get(
    '/status.json',
    serve('application/json; charset=utf-8', (status) => JSON.stringify(renderStatusJson(status))),
  );
  server.get(
    '/status.atom',
    serve('application/atom+xml; charset=utf-8', (status) => renderStatusAtom(status, { feedId })),
  );
}

/** The Atom feed's id from the seed: the same on every instance and restart. */
export function feedIdOf(seed: string): string {
  return `urn:uuid:${nameUuid(`incident-bot status feed:${seed}`)}`;
}
