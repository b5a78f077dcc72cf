/** Evidence files sent to the bot; part of `Database`, created by migrations-evidence.ts. */
export interface EvidenceTables {
  evidence_files: EvidenceFilesTable;
}

export interface EvidenceFilesTable {
  id: string;
  tenant_id: string;
  /** `activity:<id>:<n>`, unique per tenant: a re-delivered message stores nothing twice. */
  source_key: string;
  name: string;
  file_type: string;
  size: number;
  sha256: string;
  /** The Entra id of the sender, who alone may add the file to an incident. */
  uploaded_by_id: string;
  /** The sender as a Person, JSON. */
  uploaded_by: string;
  received_at: string;
  incident_id: string | null;
  attached_at: string | null;
  /** BLOB on SQLite, bytea on PostgreSQL. */
  content: Uint8Array;
}
