import { InputError } from '../errors';
import type { Person, Severity, Status } from '../incidents/incident';
import { lengthProblem } from '../incidents/text-length';

/**
 * Longest plain-language summary (and typed `update <text>`), in characters as a person counts
 * them; Teams cards stay far below 80 KB.
 */
export const UPDATE_TEXT_MAX = 2000;
/** Longest of the shorter fields: what is affected, the workaround, the internal note. */
export const UPDATE_FIELD_MAX = 1000;

/** How long until the next update is due when the poster does not say, by severity. */
export const NEXT_UPDATE_MINUTES: Record<Severity, number> = { 1: 30, 2: 60, 3: 240, 4: 1440 };

/** One posted update; written once with its deliveries and never changed. */
export interface StakeholderUpdate {
  id: string;
  incidentId: string;
  tenantId: string;
  /** 1, 2, 3… within the incident. */
  number: number;
  status: Status;
  affected: string;
  workaround: string;
  /** Plain language, for stakeholders. */
  summary: string;
  /** For the incident channel only; never in a stakeholder post or e-mail. */
  internalNote: string;
  /** ISO time the next update is promised for; null when none is planned (resolved). */
  nextUpdateAt: string | null;
  postedBy: Person;
  createdAt: string;
}

/** What a person asks to post, from `update <text>` or the dialog. */
export interface UpdateInput {
  incidentId: string;
  /** The status to report; the incident moves there too when it differs. */
  status?: Status;
  affected?: string;
  workaround?: string;
  summary: string;
  internalNote?: string;
  /** Minutes until the next update; undefined: the severity's default; 0: none planned. */
  nextUpdateMinutes?: number;
}

/** Trims the fields and refuses an empty or oversized update, naming the limit. */
export function checkUpdateInput(input: UpdateInput): UpdateInput {
  const summary = input.summary.trim();
  if (summary.length === 0) {
    throw new InputError(
      `An update needs some text (at most ${UPDATE_TEXT_MAX} characters): update <what is happening>.`,
    );
  }
  const summaryTooLong = lengthProblem('An update', summary, UPDATE_TEXT_MAX);
  if (summaryTooLong) throw new InputError(summaryTooLong);

  const fields = {
    affected: 'What is affected',
    workaround: 'The workaround',
    internalNote: 'The internal note',
  };
  for (const [key, label] of Object.entries(fields)) {
    const value = (input[key as keyof typeof fields] ?? '').trim();
    const tooLong = lengthProblem(label, value, UPDATE_FIELD_MAX);
    if (tooLong) throw new InputError(tooLong);
  }
  return {
    ...input,
    summary,
    affected: input.affected?.trim() ?? '',
    workaround: input.workaround?.trim() ?? '',
    internalNote: input.internalNote?.trim() ?? '',
  };
}

export function nextUpdateAt(
  now: Date,
  severity: Severity,
  minutes: number | undefined,
): string | null {
  const wait = minutes ?? NEXT_UPDATE_MINUTES[severity];
  return wait > 0 ? new Date(now.getTime() + wait * 60_000).toISOString() : null;
}

/** A subscription's service as stored: '*' for all incidents, else lower case. */
export function serviceKey(service: string | undefined): string {
  const trimmed = (service ?? '').trim().toLowerCase();
  return trimmed === '' || trimmed === '*' || trimmed === 'all' ? '*' : trimmed;
}

/** Does a subscription to `service` cover an incident touching `affected` (free text)? */
export function serviceMatches(service: string, affected: readonly string[]): boolean {
  if (service === '*') return true;
  return affected.some((text) => text.toLowerCase().includes(service));
}
