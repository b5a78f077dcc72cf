import { z } from 'zod';
import { dialog, dialogMessage, renderDeclareForm, renderNoteForm } from '../cards/dialog-cards';
import { formatIncidentNumber, NOTE_MAX, TITLE_MAX } from '../incidents/incident';
import type { CommandDeps } from './deps';
import { declareFromDialog } from './incident-declare';
import { atMost } from './text-limits';
import { noteFromMessage } from './timeline';
import type { TurnInfo } from './turn';
import { cutText } from '../cards/text';

/** Command ids as the manifest declares them; Teams sends them verbatim (case-sensitive). */
export const MESSAGE_ACTIONS = {
  declare: 'declareIncident',
  addToTimeline: 'addToTimeline',
} as const;

/** The message a message action was used on, already turned into plain text by the transport. */
export interface SourceMessage {
  text: string;
  author?: string;
  link?: string;
}

const NoteSubmitSchema = z.object({
  incidentNumber: z.coerce
    .number({ error: 'Choose the incident.' })
    .int('Choose the incident.')
    .positive('Choose the incident.'),
  note: z
    .string({ error: 'The entry needs some text.' })
    .trim()
    .min(1, 'The entry needs some text.')
    .superRefine(atMost('An entry', NOTE_MAX)),
});

export async function fetchMessageAction(
  deps: CommandDeps,
  turn: TurnInfo,
  commandId: string,
  source: SourceMessage,
) {
  if (commandId === MESSAGE_ACTIONS.declare) {
    const firstLine = source.text.split('\n')[0]?.trim() ?? '';
    return dialog(
      'Declare incident',
      renderDeclareForm({
        title: cutText(firstLine, TITLE_MAX),
        description: describeSource(source),
      }),
    );
  }
  if (commandId === MESSAGE_ACTIONS.addToTimeline) {
    const open = await deps.incidents.list(turn.tenantId);
    if (open.length === 0) return dialogMessage('There are no open incidents to add this to.');
    return dialog(
      'Add to timeline',
      renderNoteForm(open, cutText(describeSource(source), NOTE_MAX)),
    );
  }
  return dialogMessage('This action is not one of the incident bot’s. Try “Declare incident”.');
}

export async function submitMessageAction(
  deps: CommandDeps,
  turn: TurnInfo,
  commandId: string,
  data: unknown,
) {
  if (commandId === MESSAGE_ACTIONS.declare) return declareFromDialog(deps, turn, data);
  if (commandId === MESSAGE_ACTIONS.addToTimeline) return submitNote(deps, turn, data);
  return dialogMessage('This action is not one of the incident bot’s.');
}

export async function submitNote(deps: CommandDeps, turn: TurnInfo, data: unknown) {
  const parsed = NoteSubmitSchema.safeParse(data);
  if (!parsed.success) {
    const open = await deps.incidents.list(turn.tenantId);
    if (open.length === 0) return dialogMessage('There are no open incidents to add this to.');
    const values = (data ?? {}) as { note?: string };
    const problem = parsed.error.issues[0]?.message ?? 'Check the form.';
    return dialog('Add to timeline', renderNoteForm(open, values.note ?? '', problem));
  }
  const incident = await noteFromMessage(deps, turn, parsed.data.incidentNumber, parsed.data.note);
  return dialogMessage(`Added to the ${formatIncidentNumber(incident.number)} timeline.`);
}

function describeSource(source: SourceMessage): string {
  const by = source.author ? `${source.author}: ` : '';
  const link = source.link ? `\n\n${source.link}` : '';
  return `${by}${source.text}${link}`;
}
