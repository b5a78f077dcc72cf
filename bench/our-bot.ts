/**
 * Child process: the incident bot as `startApp` wires it, with a SQLite file database in a temp
 * dir, authentication off, LOG_LEVEL warn, and the bench's fake connector as serviceUrl. Before
 * saying ready it declares the incidents the bench presses buttons on, through /api/messages like
 * a Teams user would, so each has a war-room thread and a summary card to update.
 */
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { failChild, onParentStop } from './children';
import { BENCH_TENANT, declareCommand, type SeededIncident } from './teams-activities';

async function main() {
  const dbPath = required('BENCH_DB_PATH');
  const connectorUrl = required('BENCH_CONNECTOR_URL');
  const incidentCount = Number(process.env.BENCH_INCIDENTS ?? '50');

  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    BOT_AUTH: 'disabled',
    DATABASE_URL: `sqlite:${dbPath}`,
    // Thread mode: no channel is created, so Graph is never called; point it nowhere.
    GRAPH_BASE_URL: 'http://127.0.0.1:9/v1.0',
    GRAPH_AUTH: 'none',
    ALLOWED_TENANT_IDS: BENCH_TENANT,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  });
  const app = await startApp(config, createLogger(config.LOG_LEVEL));
  onParentStop(() => app.stop());

  for (let i = 1; i <= incidentCount; i++) {
    const activity = declareCommand(`declare Bench incident ${i} sev2`, connectorUrl);
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    if (response.status !== 200) {
      throw new Error(`declaring incident ${i} answered ${response.status}`);
    }
  }

  const incidents = await app.store.listIncidents(BENCH_TENANT, {
    openOnly: true,
    limit: incidentCount,
  });
  const seeded: SeededIncident[] = incidents.map((incident) => {
    const place = incident.place;
    if (!place?.summaryActivityId) {
      throw new Error(`incident ${incident.number} has no summary card (place ${place?.mode})`);
    }
    return {
      id: incident.id,
      tenantId: incident.tenantId,
      conversationId: place.conversationId,
      channelId: place.channelId ?? place.conversationId,
      summaryActivityId: place.summaryActivityId,
    };
  });
  if (seeded.length !== incidentCount) {
    throw new Error(`declared ${incidentCount} incidents, found ${seeded.length}`);
  }

  // Timeline entries of the pressed incidents: before and after a run, the difference is how
  // many presses were stored as real changes.
  const timelineTotal = async () => {
    let total = 0;
    for (const incident of seeded) total += await app.store.countTimeline(incident.id);
    return total;
  };
  process.on('message', (message: { type?: string }) => {
    if (message?.type !== 'timeline') return;
    timelineTotal().then(
      (total) => process.send?.({ type: 'timeline', total }),
      (error: unknown) => process.send?.({ type: 'failed', error: String(error) }),
    );
  });

  process.send?.({ type: 'ready', url: app.url, incidents: seeded });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

main().catch(failChild);
