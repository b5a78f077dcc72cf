import { createHash } from 'node:crypto';
import { z } from 'zod';
import { dialog, dialogMessage } from '../cards/dialog-cards';
import { renderUpdateForm } from '../cards/update-cards';
import type { CommsService, PostedUpdate } from '../comms/comms-service';
import { UPDATE_FIELD_MAX, UPDATE_TEXT_MAX, type UpdateInput } from '../comms/update';
import { InputError } from '../errors';
import { formatIncidentNumber, STATUSES, type Incident } from '../incidents/incident';
import type { CommandLine } from './command-parser';
import type { CommandDeps } from './deps';
import { incidentForCard, incidentForText } from './incident-change';
import { syncSummaryCard } from './summary-sync';
import type { Reply, TurnInfo } from './turn';

export interface UpdateDeps {
  core: CommandDeps;
  comms: CommsService;
  /** Tells the delivery worker there is new work. */
  wakeWorker: () => void;
}

/**
 * Dialog fields, all untrusted. The domain checks the limits in characters as a person counts
 * them; these bounds only cap the size, and one character can be several code points (a family
 * joined by zero-width joiners is five or more).
 */
const UpdateFormSchema = z.object({
  incidentId: z.string().min(1).max(64),
  version: z.coerce.string().max(20).optional(),
  status: z.enum(STATUSES).optional(),
  affected: z
    .string()
    .max(UPDATE_FIELD_MAX * 8)
    .optional(),
  workaround: z
    .string()
    .max(UPDATE_FIELD_MAX * 8)
    .optional(),
  summary: z
    .string()
    .max(UPDATE_TEXT_MAX * 8)
    .default(''),
  internalNote: z
    .string()
    .max(UPDATE_FIELD_MAX * 8)
    .optional(),
  nextUpdateMinutes: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .optional(),
});

/** `update <text>`: the text is the plain-language summary; the rest comes from the incident. */
export async function updateFromText(
  deps: UpdateDeps,
  turn: TurnInfo,
  line: CommandLine,
): Promise<Reply> {
  const incident = await incidentOrWhere(deps, turn, line.incidentNumber);
  const posted = await post(
    deps,
    turn,
    { incidentId: incident.id, summary: line.rest },
    `activity:${turn.activityId}`,
  );
  return { text: posted ? postedText(posted) : 'That update was already posted.' };
}

export async function openUpdateDialog(
  deps: UpdateDeps,
  turn: TurnInfo,
  data: Record<string, unknown>,
) {
  const incidentId = typeof data.incidentId === 'string' ? data.incidentId : '';
  if (!incidentId) throw new InputError('Open the update form from an incident’s summary card.');
  const incident = await incidentForCard(deps.core, turn, incidentId);
  return dialog(`Update for ${formatIncidentNumber(incident.number)}`, formOf(incident));
}

export async function submitUpdateDialog(
  deps: UpdateDeps,
  turn: TurnInfo,
  data: Record<string, unknown>,
) {
  const parsed = UpdateFormSchema.safeParse(data);
  if (!parsed.success)
    throw new InputError('This form sent incomplete data; open it again from the card.');
  const form = parsed.data;
  const incident = await incidentForCard(deps.core, turn, form.incidentId);
  const input: UpdateInput = { ...form, incidentId: incident.id };

  // A double click submits twice from the same form: same version, person and text act once.
  const digest = createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 16);
  const key = `update:${incident.id}:${form.version ?? turn.activityId}:${turn.actor.id}:${digest}`;
  try {
    const posted = await post(deps, turn, input, key);
    return dialogMessage(posted ? postedText(posted) : 'That update was already posted.');
  } catch (error) {
    // The form comes back with what was typed and the problem, instead of losing it.
    if (!(error instanceof InputError)) throw error;
    return dialog(
      `Update for ${formatIncidentNumber(incident.number)}`,
      formOf(incident, { ...input, problem: error.message }),
    );
  }
}

async function post(
  deps: UpdateDeps,
  turn: TurnInfo,
  input: UpdateInput,
  key: string,
): Promise<PostedUpdate | null> {
  const posted = await deps.comms.postUpdate(input, turn.actor, key, turn.serviceUrl);
  if (posted) {
    syncSummaryCard(deps.core, posted.incident, turn);
    deps.wakeWorker();
  }
  return posted;
}

function formOf(incident: Incident, values: Parameters<typeof renderUpdateForm>[1] = {}) {
  const card = renderUpdateForm(incident, values);
  // The version makes a double submit of this form recognisable (see the key above).
  for (const action of (card.actions as Array<{ data?: Record<string, unknown> }>) ?? []) {
    if (action.data) action.data.version = String(incident.version);
  }
  return card;
}

/** `update` names where it works when no incident is implied. */
async function incidentOrWhere(deps: UpdateDeps, turn: TurnInfo, incidentNumber?: number) {
  try {
    return await incidentForText(deps.core, turn, incidentNumber);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(
      'Post updates in the incident’s channel or thread (mention me: update <what is happening>), or name the incident: INC-0042 update <text>.',
    );
  }
}

function postedText({ update, incident, queued }: PostedUpdate): string {
  const number = formatIncidentNumber(incident.number);
  return `Update ${update.number} for ${number} is posted and on its way to ${queued} ${queued === 1 ? 'recipient' : 'recipients'}. Mention me with “comms” to see delivery.`;
}
