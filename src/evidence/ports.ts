import type { TimelineEntry } from '../incidents/incident';
import type { EvidenceFile } from './evidence';

export interface EvidenceStore {
  transaction<T>(work: (tx: EvidenceStore) => Promise<T>): Promise<T>;
  /** Inserts the file and its content; false when a file with its sourceKey is already kept. */
  insertFile(file: EvidenceFile, content: Uint8Array): Promise<boolean>;
  getFile(id: string): Promise<EvidenceFile | undefined>;
  findBySource(tenantId: string, sourceKey: string): Promise<EvidenceFile | undefined>;
  /** Sets the incident if none is set yet; true for the one caller that set it. */
  attachFile(id: string, incidentId: string, at: string): Promise<boolean>;
  /** Through the incident store, so the file shows on the incident's timeline. */
  appendTimeline(entry: TimelineEntry): Promise<void>;
}

export type DownloadResult =
  | { ok: true; content: Uint8Array }
  | { ok: false; reason: 'too-large' | 'not-allowed-host' | 'failed' };

/** Fetches a file Teams described, within a size limit. */
export interface FileDownloader {
  download(url: string, maxBytes: number): Promise<DownloadResult>;
}
