import { createHash, randomUUID } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { Incident, Person } from '../incidents/incident';
import type { Logger } from '../logger';
import {
  isAllowedType,
  fileTypeOf,
  formatBytes,
  timelineTextOf,
  type EvidenceFile,
  type EvidenceLimits,
  type IncomingFile,
} from './evidence';
import type { EvidenceStore, FileDownloader } from './ports';

/** Teams sends one file per message; a forged activity could carry many. */
const MAX_FILES_PER_MESSAGE = 5;

export type Received = { ok: true; file: EvidenceFile } | { ok: false; name: string; why: string };

export interface Sender {
  tenantId: string;
  actor: Person;
  activityId: string;
}

/**
 * Evidence files sent to the bot: fetched once, fingerprinted (SHA-256) and kept, then added to
 * an incident's timeline by the person who sent them. Nothing here trusts card data: which file
 * and whose it is are read back from the store.
 */
export class EvidenceService {
  constructor(
    private readonly store: EvidenceStore,
    private readonly downloader: FileDownloader,
    private readonly limits: EvidenceLimits,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get maxFilesPerMessage(): number {
    return MAX_FILES_PER_MESSAGE;
  }

  async receive(sender: Sender, files: IncomingFile[]): Promise<Received[]> {
    const results: Received[] = [];
    for (const [index, file] of files.slice(0, MAX_FILES_PER_MESSAGE).entries()) {
      results.push(await this.receiveOne(sender, file, `activity:${sender.activityId}:${index}`));
    }
    return results;
  }

  /** The files of this tenant among `ids`, in that order; unknown ids are left out. */
  async files(tenantId: string, ids: string[]): Promise<EvidenceFile[]> {
    const found = await Promise.all(ids.map((id) => this.store.getFile(id)));
    return found.filter((file): file is EvidenceFile => file?.tenantId === tenantId);
  }

  /** Adds the file to the incident's timeline, once; the sender alone may choose where. */
  async attach(tenantId: string, actor: Person, fileId: string, incident: Incident) {
    const file = await this.store.getFile(fileId);
    if (!file || file.tenantId !== tenantId || incident.tenantId !== tenantId) {
      throw new NotFoundError('That file is no longer kept; send it to me again.');
    }
    if (file.uploadedBy.id !== actor.id) {
      throw new ForbiddenError('Only the person who sent the file can add it to an incident.');
    }
    if (incident.status === 'closed') {
      throw new ConflictError('That incident is closed; choose an open one.');
    }

    const at = this.clock().toISOString();
    const attached = await this.store.transaction(async (tx) => {
      if (!(await tx.attachFile(file.id, incident.id, at))) return false;
      await tx.appendTimeline({
        id: randomUUID(),
        incidentId: incident.id,
        at,
        actor,
        kind: 'evidence',
        text: timelineTextOf(file),
      });
      return true;
    });
    const current = attached ? { ...file, incidentId: incident.id, attachedAt: at } : file;
    if (!attached) current.incidentId = (await this.store.getFile(file.id))?.incidentId ?? null;
    return { attached, file: current };
  }

  private async receiveOne(sender: Sender, file: IncomingFile, sourceKey: string) {
    const known = await this.store.findBySource(sender.tenantId, sourceKey);
    if (known) return { ok: true as const, file: known };

    const name = file.name;
    if (!isAllowedType(file, this.limits)) {
      return { ok: false as const, name, why: `I take ${this.limits.fileTypes.join(', ')} files.` };
    }
    const result = await this.downloader.download(file.downloadUrl, this.limits.maxBytes);
    if (!result.ok) {
      this.logger.warn(
        { activityId: sender.activityId, tenantId: sender.tenantId, reason: result.reason },
        'evidence file not taken',
      );
      return { ok: false as const, name, why: refusalOf(result.reason, this.limits.maxBytes) };
    }

    const kept: EvidenceFile = {
      id: randomUUID(),
      tenantId: sender.tenantId,
      sourceKey,
      name,
      fileType: fileTypeOf(file),
      size: result.content.byteLength,
      sha256: createHash('sha256').update(result.content).digest('hex'),
      uploadedBy: sender.actor,
      receivedAt: this.clock().toISOString(),
      incidentId: null,
      attachedAt: null,
    };
    // A re-delivered message racing this one: the first insert wins and both answer with it.
    if (await this.store.insertFile(kept, result.content)) return { ok: true as const, file: kept };
    const winner = await this.store.findBySource(sender.tenantId, sourceKey);
    return winner ? { ok: true as const, file: winner } : { ok: true as const, file: kept };
  }
}

function refusalOf(reason: 'too-large' | 'not-allowed-host' | 'failed', maxBytes: number) {
  if (reason === 'too-large') return `It is larger than ${formatBytes(maxBytes)}.`;
  if (reason === 'not-allowed-host') return 'Teams gave me a link I may not fetch from.';
  return 'Teams did not hand it over; send it again in a moment.';
}
