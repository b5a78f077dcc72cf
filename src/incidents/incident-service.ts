import { randomUUID } from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '../errors';
import {
  assertChangeable,
  assertTransition,
  formatIncidentNumber,
  NOTE_MAX,
  TITLE_MAX,
  type Incident,
  type IncidentPlace,
  type Person,
  type Role,
  type Severity,
  type Status,
  type TimelineEntry,
  type TimelineKind,
} from './incident';
import type { IncidentStore } from './ports';
import { lengthProblem } from './text-length';

export interface DeclareInput {
  tenantId: string;
  title: string;
  description?: string;
  severity?: Severity;
  affectedServices?: string[];
  affectedUsers?: number | null;
  impactScope?: string | null;
  /** A Defender XDR incident to link once declared; stored by the security module, not here. */
  defenderIncidentId?: string;
}

/** What a change did: `changed` is false for a repeat (same activity, or nothing to change). */
export interface ChangeResult {
  incident: Incident;
  changed: boolean;
}

/** Where a command came from, so the incident can be implied by the conversation it is typed in. */
export interface IncidentRef {
  tenantId: string;
  incidentNumber?: number;
  /** Conversation ids to look the war room up by, most specific first. */
  roomKeys: string[];
}

type Mutation = { entries: Array<{ kind: TimelineKind; text: string }> } | null;

const MAX_VERSION_RETRIES = 5;

class LostUpdate extends Error {}

/** Incident lifecycle and timeline. Every change and its timeline entry commit together. */
export class IncidentService {
  constructor(
    private readonly store: IncidentStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Returns null when `idempotencyKey` was already handled (a re-delivered activity). */
  async declare(
    input: DeclareInput,
    actor: Person,
    idempotencyKey: string,
  ): Promise<Incident | null> {
    const title = input.title.trim();
    if (title.length === 0) throw new InputError('An incident needs a title.');
    if (title.length > TITLE_MAX) {
      throw new InputError(
        `A title is at most ${TITLE_MAX} characters; this one has ${title.length}.`,
      );
    }

    return this.store.transaction(async (tx) => {
      if (!(await tx.claim(idempotencyKey))) return null;

      const now = this.now();
      const incident: Incident = {
        id: randomUUID(),
        tenantId: input.tenantId,
        number: await tx.nextIncidentNumber(input.tenantId),
        title,
        description: input.description?.trim() ?? '',
        severity: input.severity ?? 3,
        status: 'investigating',
        roles: { commander: actor },
        affectedServices: input.affectedServices ?? [],
        affectedUsers: input.affectedUsers ?? null,
        impactScope: input.impactScope ?? null,
        declaredBy: actor,
        acknowledgedBy: null,
        acknowledgedAt: null,
        latestUpdate: null,
        place: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await tx.insertIncident(incident);
      await this.append(
        tx,
        incident.id,
        actor,
        'declared',
        `Declared SEV${incident.severity}: ${title}`,
      );
      return incident;
    });
  }

  async find(ref: IncidentRef): Promise<Incident> {
    if (ref.incidentNumber !== undefined) {
      const incident = await this.store.getIncidentByNumber(ref.tenantId, ref.incidentNumber);
      if (!incident)
        throw new NotFoundError(`${formatIncidentNumber(ref.incidentNumber)} does not exist.`);
      return incident;
    }
    for (const key of ref.roomKeys) {
      const incident = await this.store.findIncidentByRoom(ref.tenantId, key);
      if (incident) return incident;
    }
    throw new InputError(
      'Name the incident (for example INC-0042), or use this command in the incident’s channel.',
    );
  }

  async get(id: string): Promise<Incident> {
    const incident = await this.store.getIncident(id);
    if (!incident) throw new NotFoundError('That incident does not exist.');
    return incident;
  }

  list(tenantId: string, openOnly = true): Promise<Incident[]> {
    return this.store.listIncidents(tenantId, { openOnly, limit: 20 });
  }

  /**
   * `tenantId`, when given, is checked inside the transaction: a card press names the incident by
   * id and passes its tenant here instead of reading the incident once more beforehand.
   */
  changeStatus(
    id: string,
    status: Status,
    actor: Person,
    key: string,
    tenantId?: string,
  ): Promise<ChangeResult> {
    return this.mutate(id, actor, key, tenantId, (incident) => {
      if (incident.status === status) return null;
      assertTransition(incident.status, status);
      const from = incident.status;
      incident.status = status;
      return { entries: [{ kind: 'status', text: `Status ${from} → ${status}` }] };
    });
  }

  changeSeverity(
    id: string,
    severity: Severity,
    actor: Person,
    key: string,
    tenantId?: string,
  ): Promise<ChangeResult> {
    return this.mutate(id, actor, key, tenantId, (incident) => {
      assertChangeable(incident);
      if (incident.severity === severity) return null;
      const from = incident.severity;
      incident.severity = severity;
      return { entries: [{ kind: 'severity', text: `Severity SEV${from} → SEV${severity}` }] };
    });
  }

  assignRole(id: string, role: Role, person: Person, actor: Person, key: string) {
    return this.mutate(id, actor, key, undefined, (incident) => {
      assertChangeable(incident);
      const current = incident.roles[role];
      if (
        current?.id === person.id &&
        !!current.needsTeamMembership === !!person.needsTeamMembership
      ) {
        return null;
      }
      incident.roles = { ...incident.roles, [role]: person };
      return { entries: [{ kind: 'role', text: `${person.name} is ${role}` }] };
    });
  }

  acknowledge(id: string, actor: Person, key: string, tenantId?: string): Promise<ChangeResult> {
    return this.mutate(id, actor, key, tenantId, (incident) => {
      assertChangeable(incident);
      if (incident.acknowledgedBy) return null;
      incident.acknowledgedBy = actor;
      incident.acknowledgedAt = this.now();
      // The timeline shows each entry's actor beside its text, so the text does not repeat them.
      return { entries: [{ kind: 'acknowledged', text: 'Acknowledged' }] };
    });
  }

  addNote(id: string, text: string, actor: Person, key: string): Promise<ChangeResult> {
    const note = text.trim();
    if (note.length === 0) throw new InputError('A note needs some text.');
    const tooLong = lengthProblem('A note', note, NOTE_MAX);
    if (tooLong) throw new InputError(tooLong);

    return this.mutate(id, actor, key, undefined, (incident) => {
      assertChangeable(incident);
      // A note is the responders' own record: it goes on the timeline and leaves the card's
      // "Latest update", the last stakeholder update, as it was.
      return { entries: [{ kind: 'note', text: note }] };
    });
  }

  /**
   * A timeline entry about something outside the incident (a Microsoft 365 service health issue):
   * it changes nothing on the incident, so the incident keeps its version and its card. A key
   * already handled adds nothing; a closed incident takes no more entries.
   */
  async addEntry(
    id: string,
    entry: { kind: 'health'; text: string },
    actor: Person,
    key: string,
    tenantId: string,
  ): Promise<ChangeResult> {
    return this.store.transaction(async (tx) => {
      const incident = await tx.getIncident(id);
      if (!incident || incident.tenantId !== tenantId) {
        throw new NotFoundError('That incident does not exist.');
      }
      assertChangeable(incident);
      if (!(await tx.claim(key))) return { incident, changed: false };

      await this.append(tx, id, actor, entry.kind, entry.text);
      return { incident, changed: true };
    });
  }

  /** Records where the war room ended up (after the channel or thread exists). */
  setPlace(id: string, place: IncidentPlace, actor: Person, key: string): Promise<ChangeResult> {
    return this.mutate(id, actor, key, undefined, (incident) => {
      incident.place = place;
      const why = place.fallbackReason ? ` (${place.fallbackReason})` : '';
      return { entries: [{ kind: 'place', text: `War room opened in ${placeText(place)}${why}` }] };
    });
  }

  /**
   * Records a summary card posted after the declaration (the `summary` command) as the war room
   * card, unless the incident has one by then: two people asking at once must not each take it,
   * and the later one would leave the first card no longer kept up to date.
   */
  adoptSummaryCard(
    id: string,
    place: IncidentPlace,
    actor: Person,
    key: string,
  ): Promise<ChangeResult> {
    return this.mutate(id, actor, key, undefined, (incident) => {
      if (incident.place?.summaryActivityId) return null;
      incident.place = place;
      return { entries: [{ kind: 'place', text: `Summary card posted in ${placeText(place)}` }] };
    });
  }

  /**
   * Records that `key` was handled; false when it already was. For work that is not a change of
   * the incident, such as posting a card, done at most once per activity.
   */
  claim(key: string): Promise<boolean> {
    return this.store.claim(key);
  }

  async timeline(id: string, page: number, pageSize: number) {
    const [entries, total] = await Promise.all([
      this.store.listTimeline(id, { offset: (page - 1) * pageSize, limit: pageSize }),
      this.store.countTimeline(id),
    ]);
    return { entries, total, page, pages: Math.max(1, Math.ceil(total / pageSize)) };
  }

  /**
   * Applies `change` to the stored incident in one transaction, with its timeline entries.
   * A key already handled (a Teams retry) or a change that changes nothing leaves all as it was.
   * With `tenantId`, an incident of another tenant is treated as missing (card data is forgeable).
   */
  private async mutate(
    id: string,
    actor: Person,
    key: string,
    tenantId: string | undefined,
    change: (incident: Incident) => Mutation,
  ): Promise<ChangeResult> {
    for (let attempt = 0; attempt < MAX_VERSION_RETRIES; attempt++) {
      try {
        return await this.store.transaction(async (tx) => {
          const incident = await tx.getIncident(id);
          if (!incident || (tenantId !== undefined && incident.tenantId !== tenantId)) {
            throw new NotFoundError('That incident does not exist.');
          }
          if (!(await tx.claim(key))) return { incident, changed: false };

          const draft: Incident = structuredClone(incident);
          const mutation = change(draft);
          if (!mutation) return { incident, changed: false };

          draft.version = incident.version + 1;
          draft.updatedAt = this.now();
          // Another instance changed it since we read it: roll back (the claim too) and redo.
          if (!(await tx.updateIncident(draft, incident))) throw new LostUpdate();
          for (const entry of mutation.entries) {
            await this.append(tx, id, actor, entry.kind, entry.text);
          }
          return { incident: draft, changed: true };
        });
      } catch (error) {
        if (!(error instanceof LostUpdate)) throw error;
      }
    }
    throw new ConflictError('The incident is changing fast; try again in a moment.');
  }

  private async append(
    tx: IncidentStore,
    incidentId: string,
    actor: Person,
    kind: TimelineKind,
    text: string,
  ): Promise<void> {
    const entry: TimelineEntry = {
      id: randomUUID(),
      incidentId,
      at: this.now(),
      actor,
      kind,
      text,
    };
    await tx.appendTimeline(entry);
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

function placeText(place: IncidentPlace): string {
  return place.mode === 'channel' ? 'a dedicated channel' : `a ${place.mode}`;
}
