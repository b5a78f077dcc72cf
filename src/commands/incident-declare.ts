import { z } from 'zod';
import { renderDeclareForm, dialog, dialogMessage } from '../cards/dialog-cards';
import { renderDeclaredCard } from '../cards/list-card';
import { renderCard } from '../cards/render';
import {
  formatIncidentNumber,
  TITLE_MAX,
  type Incident,
  type Severity,
} from '../incidents/incident';
import type { DeclareInput } from '../incidents/incident-service';
import type { CommandDeps } from './deps';
import { originOf, type Reply, type TurnInfo } from './turn';

/** The declare dialog's fields, as Teams submits them (every input arrives as a string). */
export const DeclareFormSchema = z.object({
  title: z
    .string({ error: 'A title is required.' })
    .trim()
    .min(1, 'A title is required.')
    .max(TITLE_MAX, `A title is at most ${TITLE_MAX} characters.`),
  severity: z.coerce
    .number({ error: 'Choose a severity from 1 to 4.' })
    .int('Choose a severity from 1 to 4.')
    .min(1, 'Choose a severity from 1 to 4.')
    .max(4, 'Choose a severity from 1 to 4.')
    .default(3),
  description: z
    .string({ error: 'Write the description as text.' })
    .max(4000, 'A description is at most 4000 characters.')
    .optional()
    .default(''),
  affectedServices: z
    .string({ error: 'List the affected services as text.' })
    .max(500, 'The affected services are at most 500 characters.')
    .optional()
    .default(''),
  affectedUsers: z
    .union(
      [
        z.literal(''),
        z.coerce
          .number()
          .int('Affected users is a whole number, 0 or more.')
          .min(0, 'Affected users is a whole number, 0 or more.'),
      ],
      { error: 'Affected users is a whole number, 0 or more.' },
    )
    .optional()
    .transform((value) => (value === '' || value === undefined ? null : value)),
  impactScope: z
    .string({ error: 'Choose an impact scope.' })
    .max(40, 'Choose an impact scope.')
    .optional(),
});

/** `declare <title> [sevN]`; without a title, a card with a button that opens the form. */
export async function declareFromText(
  deps: CommandDeps,
  turn: TurnInfo,
  title: string | undefined,
  severity: Severity | undefined,
  extra: Pick<DeclareInput, 'defenderIncidentId'> = {},
): Promise<Reply> {
  if (!title) {
    return {
      card: renderCard('declare-prompt', { severity: String(severity ?? 3) }),
    };
  }
  const declared = await declare(deps, turn, {
    tenantId: turn.tenantId,
    title,
    severity,
    ...extra,
  });
  return declared ? answerFor(declared.incident, turn, declared.linkNote) : null;
}

/** The dialog was submitted: declare, or show the form again with the problem named. */
export async function declareFromDialog(deps: CommandDeps, turn: TurnInfo, data: unknown) {
  const parsed = DeclareFormSchema.safeParse(data);
  if (!parsed.success) {
    const problem = parsed.error.issues[0]?.message ?? 'Check the form.';
    const values = (typeof data === 'object' && data !== null ? data : {}) as Record<
      string,
      string
    >;
    return dialog(
      'Declare incident',
      renderDeclareForm({ ...values, severity: Number(values.severity) || 3, problem }),
    );
  }

  const form = parsed.data;
  const declared = await declare(deps, turn, {
    tenantId: turn.tenantId,
    title: form.title,
    severity: form.severity as Severity,
    description: form.description,
    affectedServices: splitList(form.affectedServices),
    affectedUsers: form.affectedUsers,
    impactScope: form.impactScope && form.impactScope !== 'unknown' ? form.impactScope : null,
  });
  if (!declared) return dialogMessage('That incident was already declared.');
  const { incident } = declared;
  return dialogMessage(`${formatIncidentNumber(incident.number)} declared. ${whereText(incident)}`);
}

interface Declared {
  incident: Incident;
  /** What the declarer should know about a `defender:<id>` link that did not go as asked. */
  linkNote?: string;
}

async function declare(
  deps: CommandDeps,
  turn: TurnInfo,
  input: DeclareInput,
): Promise<Declared | null> {
  const declared = await deps.incidents.declare(input, turn.actor, `activity:${turn.activityId}`);
  if (!declared) return null;

  deps.logger.info({ incidentId: declared.id, tenantId: turn.tenantId }, 'incident declared');
  let incident = declared;
  try {
    incident = await deps.warRoom.open(declared, originOf(turn), turn.actor);
  } catch (error) {
    // The declaration is stored; only its card could not be posted. Say so, and keep the
    // incident usable by number, rather than inviting a retry that would declare it twice.
    deps.logger.warn({ err: error, incidentId: declared.id }, 'war room card not posted');
  }

  // The link needs no war room: without one the incident is still used by its number.
  const linkNote = input.defenderIncidentId
    ? await deps.linkDefender?.(turn, incident, input.defenderIncidentId)
    : undefined;
  return { incident, linkNote };
}

function answerFor(incident: Incident, turn: TurnInfo, linkNote?: string): Reply {
  const place = incident.place;
  const declared = `${formatIncidentNumber(incident.number)} declared. ${whereText(incident)}`;
  const withNote = (text: string) => ({ text: linkNote ? `${text}\n\n${linkNote}` : text });
  if (!place || place.mode === 'thread') return withNote(declared);
  // In a chat the summary card itself is the answer; elsewhere say where the war room is.
  if (place.mode === 'chat' && place.conversationId === turn.conversation.id) {
    return linkNote ? { text: linkNote } : null;
  }
  return { card: renderDeclaredCard(incident, linkNote) };
}

function whereText(incident: Incident): string {
  switch (incident.place?.mode) {
    case 'channel':
      return 'Its war room is a new channel in the incident team.';
    case 'thread':
      return incident.place.fallbackReason
        ? `Its war room is a new thread in this channel (${incident.place.fallbackReason}).`
        : 'Its war room is a new thread in this channel.';
    case 'chat':
      return 'Its summary card is in this chat.';
    default:
      return `Its summary card could not be posted; use ${formatIncidentNumber(incident.number)} in commands (“${formatIncidentNumber(incident.number)} summary” posts the card here).`;
  }
}

function splitList(value: string): string[] {
  return value
    .split(/[,;\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
    .slice(0, 20);
}
