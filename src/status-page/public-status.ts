/**
 * What the public status page may show. These types are the whole allow-list: anything not named
 * here (internal notes, the timeline, roles, responder names, security data) never reaches the
 * page, because the reader selects only these columns and the views only read these fields.
 */
export interface PublicUpdate {
  /** The update's id, used as the Atom entry id; not shown on the page. */
  id: string;
  /** 1, 2, 3… within the incident. */
  number: number;
  status: string;
  summary: string;
  affected: string;
  workaround: string;
  /** ISO time the next update is promised for; null when none is planned. */
  nextUpdateAt: string | null;
  postedAt: string;
}

export interface PublicIncident {
  id: string;
  /** INC-0042 */
  number: string;
  title: string;
  status: string;
  severity: number;
  resolved: boolean;
  updatedAt: string;
  /** Newest first; never empty (an incident appears once it has a stakeholder update). */
  updates: PublicUpdate[];
}

export interface PublicStatus {
  title: string;
  generatedAt: string;
  /** Open incidents first, then resolved ones; newest activity first within each. */
  incidents: PublicIncident[];
}

/** Reads the published incidents; implemented over comms_updates and incidents in src/store/. */
export interface StatusReader {
  /**
   * `tenantId`'s incidents with at least one stakeholder update that are open, or were resolved
   * (or closed) at or after `resolvedSince`. No other tenant's incident is ever returned.
   */
  publicIncidents(options: {
    tenantId: string;
    resolvedSince: string;
    limit: number;
  }): Promise<PublicIncident[]>;
}
