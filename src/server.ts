import restify from 'restify';
import type { IncidentStore } from './incidents/ports';
import type { Logger } from './logger';
import type { MessagesEndpoint } from './teams/adapter';
import { registerStatusPage, type StatusPageOptions } from './status-page/status-routes';

export interface ServerDeps {
  /** Bot Framework's POST /api/messages, from the Teams transport. */
  messages: MessagesEndpoint;
  store: IncidentStore;
  logger: Logger;
  /** The public status page; absent when it is off (see Engagement), so its paths answer 404. */
  statusPage?: StatusPageOptions;
}

export function createServer({ messages, store, logger, statusPage }: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'incident-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));

  server.post('/api/messages', async (req, res) => {
    await messages(req, res);
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req, res) => {
    try {
      await store.ping();
      res.send(200, { status: 'ready' });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      res.send(503, { status: 'store unreachable' });
    }
  });

  if (statusPage) registerStatusPage(server, statusPage);

  return server;
}
