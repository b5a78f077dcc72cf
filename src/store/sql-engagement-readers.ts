import type { Kysely } from 'kysely';
import { formatIncidentNumber } from '../incidents/incident';
import type { CadenceCandidate, CadenceReader } from '../engagement/cadence';
import type { PublicIncident, PublicUpdate, StatusReader } from '../status-page/public-status';
import { byOpenThenNewest } from '../status-page/status-text';
import type { Database } from './database';
import { rowToIncident } from './incident-rows';

const CLOSED_STATUSES = ['resolved', 'closed'];

// Read sides of engagement over incidents and comms_updates: the status page and the cadence.

/**
 * The status page's read side. Every query names its columns: a `selectAll` here would carry
 * internal notes and roles into memory next to a public view, one typo away from the page.
 */
export class SqlStatusReader implements StatusReader {
  constructor(private readonly db: Kysely<Database>) {}

  async publicIncidents(options: {
    tenantId: string;
    resolvedSince: string;
    limit: number;
  }): Promise<PublicIncident[]> {
    // Publishing is a deliberate act: an incident appears only once a stakeholder update exists.
    const incidents = await this.db
      .selectFrom('incidents')
      .select(['id', 'number', 'title', 'status', 'severity', 'updated_at'])
      .where('tenant_id', '=', options.tenantId)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('comms_updates')
            .select('comms_updates.id')
            .whereRef('comms_updates.incident_id', '=', 'incidents.id'),
        ),
      )
      .where((eb) =>
        eb.or([
          eb('status', 'not in', CLOSED_STATUSES),
          eb('updated_at', '>=', options.resolvedSince),
        ]),
      )
      .orderBy('updated_at', 'desc')
      .limit(options.limit)
      .execute();
    if (incidents.length === 0) return [];

    // Only the selected incidents' updates, so the tenant filter above holds for these too.
    const updates = await this.db
      .selectFrom('comms_updates')
      .select([
        'id',
        'incident_id',
        'number',
        'status',
        'summary',
        'affected',
        'workaround',
        'next_update_at',
        'created_at',
      ])
      .where(
        'incident_id',
        'in',
        incidents.map((incident) => incident.id),
      )
      .orderBy('created_at', 'desc')
      .orderBy('number', 'desc')
      .execute();

    const byIncident = new Map<string, PublicUpdate[]>();
    for (const row of updates) {
      const list = byIncident.get(row.incident_id) ?? [];
      list.push({
        id: row.id,
        number: Number(row.number),
        status: row.status,
        summary: row.summary,
        affected: row.affected,
        workaround: row.workaround,
        nextUpdateAt: row.next_update_at,
        postedAt: row.created_at,
      });
      byIncident.set(row.incident_id, list);
    }

    return incidents
      .map((row) => ({
        id: row.id,
        number: formatIncidentNumber(Number(row.number)),
        title: row.title,
        status: row.status,
        severity: Number(row.severity),
        resolved: CLOSED_STATUSES.includes(row.status),
        updatedAt: row.updated_at,
        updates: byIncident.get(row.id) ?? [],
      }))
      .sort(byOpenThenNewest);
  }
}

/** Open incidents of every tenant, each with its newest stakeholder update's time. */
export class SqlCadenceReader implements CadenceReader {
  constructor(private readonly db: Kysely<Database>) {}

  async openIncidents(limit: number): Promise<CadenceCandidate[]> {
    const rows = await this.db
      .selectFrom('incidents')
      .selectAll('incidents')
      .select((eb) =>
        eb
          .selectFrom('comms_updates')
          .select((sub) => sub.fn.max('comms_updates.created_at').as('last'))
          .whereRef('comms_updates.incident_id', '=', 'incidents.id')
          .as('last_update_at'),
      )
      .where('incidents.status', 'not in', ['resolved', 'closed'])
      .orderBy('incidents.created_at')
      .limit(limit)
      .execute();
    return rows.map(({ last_update_at, ...row }) => ({
      incident: rowToIncident(row),
      lastUpdateAt: last_update_at ?? undefined,
    }));
  }
}
