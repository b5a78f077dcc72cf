import type { Person } from '../incidents/incident';

/** A file a person sent the bot in Teams (1:1 chat): where to fetch it, as Teams described it. */
export interface IncomingFile {
  name: string;
  /** Pre-authenticated, short-lived link to the content: fetched without a token. */
  downloadUrl: string;
  /** Teams' own type, the extension without the dot ("txt"); may be missing. */
  fileType?: string;
  /** SharePoint's id of the file in the sender's OneDrive. */
  uniqueId?: string;
}

/** A received file, kept with its fingerprint; `incidentId` is set once it is added to one. */
export interface EvidenceFile {
  id: string;
  tenantId: string;
  /** What it came with (`activity:<id>:<n>`): a re-delivered message finds the file it stored. */
  sourceKey: string;
  name: string;
  fileType: string;
  size: number;
  /** Hex SHA-256 of the content, for chain of custody. */
  sha256: string;
  uploadedBy: Person;
  receivedAt: string;
  incidentId: string | null;
  attachedAt: string | null;
}

export interface EvidenceLimits {
  maxBytes: number;
  /** Extensions, lower case, without the dot. */
  fileTypes: readonly string[];
}

/** The extension of `name` (lower case, no dot), or Teams' fileType when the name has none. */
export function fileTypeOf(file: Pick<IncomingFile, 'name' | 'fileType'>): string {
  const dot = file.name.lastIndexOf('.');
  const fromName = dot > 0 && dot < file.name.length - 1 ? file.name.slice(dot + 1) : '';
  return (fromName || file.fileType || '').toLowerCase();
}

/**
 * Both the name's extension and Teams' fileType must be allowed: a file named `log.txt` that
 * Teams calls `exe` is refused. The check is on what the file says it is, not on its bytes.
 */
export function isAllowedType(file: IncomingFile, limits: EvidenceLimits): boolean {
  const allowed = new Set(limits.fileTypes);
  const named = fileTypeOf(file);
  if (!allowed.has(named)) return false;
  return !file.fileType || allowed.has(file.fileType.toLowerCase());
}

/** "1.2 KB", "3.4 MB": sizes as people read them, in units of 1024. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function timelineTextOf(file: EvidenceFile): string {
  return `Evidence ${file.name} (${formatBytes(file.size)}, SHA-256 ${file.sha256}) from ${file.uploadedBy.name}`;
}
