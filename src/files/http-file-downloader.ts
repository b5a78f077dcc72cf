import type { DownloadResult, FileDownloader } from '../evidence/ports';
import type { Logger } from '../logger';

const TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 3;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Fetches the files Teams hands a bot (content.downloadUrl of a file.download.info attachment):
 * a pre-authenticated SharePoint link, fetched without any token of ours. Only hosts matching
 * `allowedHosts` (`*.sharepoint.com` matches every subdomain) are fetched, over https; plain
 * http is allowed to loopback only, for the sandbox. The size limit holds while the body streams,
 * so a file that lies about its length is cut off, not buffered whole.
 */
export class HttpFileDownloader implements FileDownloader {
  constructor(
    private readonly allowedHosts: readonly string[],
    private readonly logger: Logger,
  ) {}

  async download(url: string, maxBytes: number): Promise<DownloadResult> {
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!this.mayFetch(current)) return { ok: false, reason: 'not-allowed-host' };

      let response: Response;
      try {
        response = await fetch(current, {
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        this.logger.warn({ err: error }, 'file download failed');
        return { ok: false, reason: 'failed' };
      }

      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current).toString();
        continue;
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        this.logger.warn({ status: response.status }, 'file download refused');
        return { ok: false, reason: 'failed' };
      }
      return readCapped(response, maxBytes, this.logger);
    }
    return { ok: false, reason: 'failed' };
  }

  private mayFetch(raw: string): boolean {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    const host = url.hostname.toLowerCase();
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(host))) {
      return false;
    }
    return this.allowedHosts.some((pattern) => matchesHost(host, pattern.toLowerCase()));
  }
}

function matchesHost(host: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return host === pattern;
}

async function readCapped(response: Response, maxBytes: number, logger: Logger) {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    return { ok: false as const, reason: 'too-large' as const };
  }

  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    // Leaving the loop early cancels the stream, so the rest of a large body is never read.
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) return { ok: false as const, reason: 'too-large' as const };
      chunks.push(chunk);
    }
  } catch (error) {
    logger.warn({ err: error }, 'file download broke off');
    return { ok: false as const, reason: 'failed' as const };
  }
  return { ok: true as const, content: Buffer.concat(chunks) };
}
