import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { EvidenceFile } from '../evidence/evidence';
import type { EvidenceStore } from '../evidence/ports';
import type { TimelineEntry } from '../incidents/incident';
import type { Database, SqlDialect } from './database';
import type { EvidenceFilesTable } from './evidence-tables';
import { SqlIncidentStore } from './sql-incident-store';

const personJson = z.string().transform((text, ctx) => {
  const parsed = z
    .object({ id: z.string(), name: z.string(), teamsId: z.string().optional() })
    .safeParse(safeJson(text));
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: 'is not a person' });
  return z.NEVER;
});

/** Every column but the content, which is read only where it is needed. */
const COLUMNS = [
  'id',
  'tenant_id',
  'source_key',
  'name',
  'file_type',
  'size',
  'sha256',
  'uploaded_by',
  'received_at',
  'incident_id',
  'attached_at',
] as const;

const fileRow = z.object({
  id: z.string(),
  tenant_id: z.string(),
  source_key: z.string(),
  name: z.string(),
  file_type: z.string(),
  size: z.coerce.number().int(),
  sha256: z.string(),
  uploaded_by: personJson,
  received_at: z.string(),
  incident_id: z.string().nullable(),
  attached_at: z.string().nullable(),
});

/** EvidenceStore over the incident store's Kysely instance (one connection per process on SQLite). */
export class SqlEvidenceStore implements EvidenceStore {
  static sharing(incidents: SqlIncidentStore): SqlEvidenceStore {
    return new SqlEvidenceStore(incidents.database, incidents.dialect);
  }

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async transaction<T>(work: (tx: EvidenceStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return work(this);
    return this.db.transaction().execute((trx) => work(new SqlEvidenceStore(trx, this.dialect)));
  }

  async insertFile(file: EvidenceFile, content: Uint8Array): Promise<boolean> {
    const result = await this.db
      .insertInto('evidence_files')
      .values({
        id: file.id,
        tenant_id: file.tenantId,
        source_key: file.sourceKey,
        name: file.name,
        file_type: file.fileType,
        size: file.size,
        sha256: file.sha256,
        uploaded_by_id: file.uploadedBy.id,
        uploaded_by: JSON.stringify(file.uploadedBy),
        received_at: file.receivedAt,
        incident_id: file.incidentId,
        attached_at: file.attachedAt,
        content: Buffer.from(content.buffer, content.byteOffset, content.byteLength),
      })
      .onConflict((conflict) => conflict.columns(['tenant_id', 'source_key']).doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async getFile(id: string): Promise<EvidenceFile | undefined> {
    const row = await this.db
      .selectFrom('evidence_files')
      .select(COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? rowToFile(row) : undefined;
  }

  async findBySource(tenantId: string, sourceKey: string): Promise<EvidenceFile | undefined> {
    const row = await this.db
      .selectFrom('evidence_files')
      .select(COLUMNS)
      .where('tenant_id', '=', tenantId)
      .where('source_key', '=', sourceKey)
      .executeTakeFirst();
    return row ? rowToFile(row) : undefined;
  }

  async attachFile(id: string, incidentId: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('evidence_files')
      .set({ incident_id: incidentId, attached_at: at })
      .where('id', '=', id)
      .where('incident_id', 'is', null)
      .executeTakeFirst();
    return (result.numUpdatedRows ?? 0n) > 0n;
  }

  /** The content as stored, for checks and exports. */
  async readContent(id: string): Promise<Uint8Array | undefined> {
    const row = await this.db
      .selectFrom('evidence_files')
      .select('content')
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? new Uint8Array(row.content) : undefined;
  }

  appendTimeline(entry: TimelineEntry): Promise<void> {
    return new SqlIncidentStore(this.db, this.dialect).appendTimeline(entry);
  }
}

type FileRow = Pick<Selectable<EvidenceFilesTable>, (typeof COLUMNS)[number]>;

function rowToFile(row: FileRow): EvidenceFile {
  const parsed = fileRow.parse(row);
  return {
    id: parsed.id,
    tenantId: parsed.tenant_id,
    sourceKey: parsed.source_key,
    name: parsed.name,
    fileType: parsed.file_type,
    size: parsed.size,
    sha256: parsed.sha256,
    uploadedBy: parsed.uploaded_by,
    receivedAt: parsed.received_at,
    incidentId: parsed.incident_id,
    attachedAt: parsed.attached_at,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
