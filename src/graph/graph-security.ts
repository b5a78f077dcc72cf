import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { DependencyError } from '../errors';
import type { Logger } from '../logger';
import type { DefenderIncident, HuntingResult } from '../security/evidence';
import type { DefenderGraph, DefenderIncidentPatch, GraphOutcome } from '../security/ports';
import { evidenceAccounts } from './defender-evidence';
import { readUnlessMissing, toDependencyError } from './graph-errors';
import { sendWrite } from './graph-write';

const text = (fallback: string) =>
  z
    .string()
    .nullish()
    .transform((value) => value?.trim() || fallback)
    .catch(fallback);
const lower = (fallback: string) => text(fallback).transform((value) => value.toLowerCase());
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined)
  .catch(undefined);
/** Only https links reach a card; anything else in Graph data is dropped. */
const httpsUrl = z
  .string()
  .nullish()
  .transform((value) => (value && /^https:\/\/[^\s"]+$/i.test(value) ? value : undefined))
  .catch(undefined);

const Alert = z.object({
  id: z.string().min(1),
  title: text('(untitled alert)'),
  severity: lower('unknown'),
  mitreTechniques: z.array(z.string()).nullish().catch([]),
  alertWebUrl: httpsUrl,
  firstActivityDateTime: optionalText,
  lastActivityDateTime: optionalText,
  evidence: z.array(z.unknown()).nullish().catch([]),
});

const Incident = z.object({
  id: z.coerce.string().pipe(z.string().min(1)),
  displayName: text('(untitled incident)'),
  severity: lower('unknown'),
  status: lower('unknown'),
  classification: optionalText,
  determination: optionalText,
  incidentWebUrl: httpsUrl,
  alerts: z.array(z.unknown()).nullish().catch([]),
});

/** Both casings of the hunting schema are in Microsoft's own examples. */
const HuntingColumn = z.union([
  z.object({ Name: z.string() }).transform((c) => c.Name),
  z.object({ name: z.string() }).transform((c) => c.name),
]);

const Hunting = z.object({
  schema: z.array(z.unknown()).nullish().catch([]),
  Schema: z.array(z.unknown()).nullish().catch([]),
  results: z.array(z.unknown()).nullish().catch([]),
  Results: z.array(z.unknown()).nullish().catch([]),
});

/** Microsoft Defender XDR incidents and advanced hunting through Graph security. */
export class GraphDefender implements DefenderGraph {
  constructor(
    private readonly client: Client,
    private readonly logger: Logger,
  ) {}

  async getIncident(id: string): Promise<DefenderIncident | undefined> {
    const response = await readUnlessMissing(
      () =>
        this.client
          .api(`/security/incidents/${encodeURIComponent(id)}`)
          .expand('alerts')
          .get(),
      'read the Defender incident',
    );
    if (response === undefined) return undefined;
    const parsed = Incident.safeParse(response);
    if (!parsed.success) throw unexpected('Defender incident', parsed.error);

    const incident = parsed.data;
    const alerts = (incident.alerts ?? []).flatMap((item) => {
      const alert = Alert.safeParse(item);
      if (alert.success) return [alert.data];
      this.logger.warn(
        { defenderIncidentId: incident.id },
        'defender alert skipped: unexpected shape',
      );
      return [];
    });
    return {
      id: incident.id,
      title: incident.displayName,
      severity: incident.severity,
      status: incident.status,
      classification: incident.classification,
      determination: incident.determination,
      // The incident's own link; an alert's incidentWebUrl may point at another incident.
      webUrl:
        incident.incidentWebUrl && incident.incidentWebUrl.includes(`/incidents/${incident.id}`)
          ? incident.incidentWebUrl
          : `https://security.microsoft.com/incidents/${encodeURIComponent(incident.id)}`,
      alerts: alerts
        .map((alert) => ({
          id: alert.id,
          title: alert.title,
          severity: alert.severity,
          mitreTechniques: (alert.mitreTechniques ?? []).filter((t) =>
            /^T\d{4}(\.\d{3})?$/.test(t),
          ),
          webUrl: alert.alertWebUrl,
          firstActivity: alert.firstActivityDateTime,
          lastActivity: alert.lastActivityDateTime,
        }))
        .sort((a, b) => (a.firstActivity ?? '').localeCompare(b.firstActivity ?? '')),
      accounts: evidenceAccounts(
        alerts.flatMap((alert) => alert.evidence ?? []),
        this.logger,
      ),
    };
  }

  updateIncident(id: string, patch: DefenderIncidentPatch): Promise<GraphOutcome> {
    const path = `/security/incidents/${encodeURIComponent(id)}`;
    return sendWrite(this.client, this.logger, 'PATCH', path, patch);
  }

  async runHuntingQuery(query: string): Promise<HuntingResult> {
    let response: unknown;
    try {
      response = await this.client.api('/security/runHuntingQuery').post({ Query: query });
    } catch (error) {
      throw toDependencyError(error, 'run the hunting query');
    }
    const parsed = Hunting.safeParse(response);
    if (!parsed.success) throw unexpected('hunting result', parsed.error);

    const schema = parsed.data.schema?.length ? parsed.data.schema : (parsed.data.Schema ?? []);
    const columns = schema.flatMap((column) => {
      const name = HuntingColumn.safeParse(column);
      if (name.success) return [name.data];
      this.logger.warn({}, 'hunting column skipped: unexpected shape');
      return [];
    });
    const results = parsed.data.results?.length ? parsed.data.results : (parsed.data.Results ?? []);
    const rows = results.filter(
      (row): row is Record<string, unknown> => typeof row === 'object' && row !== null,
    );
    return { columns: columns.length > 0 ? columns : Object.keys(rows[0] ?? {}), rows };
  }
}

function unexpected(what: string, cause: z.ZodError): DependencyError {
  return new DependencyError(
    `Microsoft Graph answered with an unexpected ${what}.`,
    'graph',
    { code: 'UnexpectedResponse' },
    { cause },
  );
}
