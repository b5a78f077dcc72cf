import { z } from 'zod';
import { dialog, dialogMessage, renderDeclareForm } from '../cards/dialog-cards';
import { renderHelpCard } from '../cards/help-card';
import { renderIncidentList } from '../cards/list-card';
import { InputError } from '../errors';
import type { IncomingFile } from '../evidence/evidence';
import { NOTE_MAX, ROLES, STATUSES, type Severity } from '../incidents/incident';
import type { CardAnswer, CommandModule } from './command-module';
import { parseCommand, splitCommandLine, TIMELINE_PAGE_MAX } from './command-parser';
import type { CommandDeps } from './deps';
import { changeFromCard, changeFromText, incidentForCard, summaryFor } from './incident-change';
import { syncPressedCard } from './summary-sync';
import { declareFromDialog, declareFromText } from './incident-declare';
import { summaryFromText } from './incident-summary';
import {
  fetchMessageAction,
  submitMessageAction,
  submitNote,
  type SourceMessage,
} from './message-actions';
import { assignFromCard, assignFromText } from './role-assign';
import { atMost } from './text-limits';
import { noteFromCard, noteFromText, timelineFromCard, timelineFromText } from './timeline';
import type { Reply, TurnInfo } from './turn';

export const CARD_VERBS = [
  'incident.refresh',
  'incident.acknowledge',
  'incident.status',
  'incident.severity',
  'role.assign',
  'timeline.note',
  'timeline.show',
] as const;
export type CardVerb = (typeof CARD_VERBS)[number];

/** Data a card button sends: its own data merged with the card's inputs, all untrusted. */
const SEVERITY_PROBLEM = 'Choose a severity from 1 to 4.';

/** Card inputs arrive as strings (or numbers from button data); nothing else is a number. */
function inputNumber(problem: string) {
  return z
    .union([z.string(), z.number()], { error: problem })
    .transform((value) => (value === '' ? Number.NaN : Number(value)))
    .pipe(z.number({ error: problem }).int(problem));
}

// Every problem has a sentence of its own: zod's defaults ("expected string, received
// undefined") are for developers, and these reach the person who pressed.
const CardDataSchema = z.object({
  incidentId: z
    .string({ error: 'This button did not name an incident.' })
    .min(1, 'This button did not name an incident.')
    .max(64, 'This button named an incident that does not exist.'),
  status: z.enum(STATUSES, { error: `Choose a status: ${STATUSES.join(', ')}.` }).optional(),
  severity: inputNumber(SEVERITY_PROBLEM)
    .pipe(z.number().min(1, SEVERITY_PROBLEM).max(4, SEVERITY_PROBLEM))
    .optional(),
  role: z.enum(ROLES, { error: `Choose a role: ${ROLES.join(', ')}.` }).optional(),
  // Entra object ids; the people picker sends one. Anything else never reaches Graph.
  person: z.guid({ error: 'Choose a person from the people picker.' }).optional(),
  note: z
    .string({ error: 'Write the note as text.' })
    .trim()
    .superRefine(atMost('A note', NOTE_MAX))
    .optional(),
  cardVersion: z.coerce.string().max(20, 'This button is from an unknown card.').optional(),
  page: inputNumber('The page is a whole number.')
    .pipe(
      z
        .number()
        .min(1, 'The page is a whole number from 1.')
        .max(TIMELINE_PAGE_MAX, `The page is at most ${TIMELINE_PAGE_MAX}.`),
    )
    .optional(),
});

export type { CardAnswer };

/** Picks the handler for each kind of input; handlers hold the logic. */
export class CommandRouter {
  constructor(
    private readonly deps: CommandDeps,
    private readonly modules: readonly CommandModule[] = [],
  ) {}

  async onText(turn: TurnInfo, text: string): Promise<Reply> {
    const line = splitCommandLine(text);
    const module = this.modules.find((candidate) => candidate.words.includes(line.word));
    if (module) return module.onText(turn, line);

    const command = parseCommand(text);
    const deps = this.deps;
    switch (command.name) {
      case 'help.show':
        return {
          card: renderHelpCard(
            command.unknown,
            this.modules.flatMap((m) => m.help ?? []),
          ),
        };
      case 'incident.list':
        return { card: renderIncidentList(await deps.incidents.list(turn.tenantId)) };
      case 'incident.declare':
        return declareFromText(deps, turn, command.title, command.severity, {
          defenderIncidentId: command.defenderIncidentId,
        });
      case 'incident.status':
        return changeFromText(deps, turn, command.incidentNumber, {
          kind: 'status',
          status: command.status,
        });
      case 'incident.severity':
        return changeFromText(deps, turn, command.incidentNumber, {
          kind: 'severity',
          severity: command.severity,
        });
      case 'role.assign':
        return assignFromText(deps, turn, command.incidentNumber, command.role);
      case 'timeline.note':
        return noteFromText(deps, turn, command.incidentNumber, command.text);
      case 'timeline.show':
        return timelineFromText(deps, turn, command.incidentNumber, command.page);
      case 'incident.summary':
        return summaryFromText(deps, turn, command.incidentNumber);
    }
  }

  /** Files sent to the bot (1:1 chats only, in Teams); without a module for them, one sentence. */
  async onFiles(turn: TurnInfo, files: IncomingFile[], text: string): Promise<Reply> {
    const module = this.modules.find((candidate) => candidate.onFiles);
    if (module?.onFiles) return module.onFiles(turn, files, text);
    return { text: 'I can’t take files here.' };
  }

  async onCardAction(turn: TurnInfo, verb: string, rawData: unknown): Promise<CardAnswer> {
    const module = this.modules.find((candidate) => candidate.verbs.includes(verb));
    if (module?.onCardAction) return module.onCardAction(turn, verb, objectOf(rawData));
    if (!isCardVerb(verb)) return { message: 'This button is no longer supported.' };
    const parsed = CardDataSchema.safeParse(rawData);
    if (!parsed.success) {
      throw new InputError(parsed.error.issues[0]?.message ?? 'This button sent incomplete data.');
    }

    const data = parsed.data;
    const deps = this.deps;
    switch (verb) {
      case 'incident.refresh':
        return {
          card: await summaryFor(deps, turn, await incidentForCard(deps, turn, data.incidentId)),
        };
      case 'incident.acknowledge':
        return { card: await changeFromCard(deps, turn, data.incidentId, { kind: 'acknowledge' }) };
      case 'incident.status':
        if (!data.status) throw new InputError('Choose a status.');
        return {
          card: await changeFromCard(deps, turn, data.incidentId, {
            kind: 'status',
            status: data.status,
          }),
        };
      case 'incident.severity':
        if (!data.severity) throw new InputError('Choose a severity.');
        return {
          card: await changeFromCard(deps, turn, data.incidentId, {
            kind: 'severity',
            severity: data.severity as Severity,
          }),
        };
      case 'role.assign':
        if (!data.role || !data.person) throw new InputError('Choose a role and a person.');
        return { card: await assignFromCard(deps, turn, data.incidentId, data.role, data.person) };
      case 'timeline.note': {
        const note = data.note?.trim() ?? '';
        if (note.length === 0) throw new InputError('Write a note first.');
        const version = data.cardVersion ?? turn.activityId;
        return { card: await noteFromCard(deps, turn, data.incidentId, note, version) };
      }
      case 'timeline.show':
        return { card: await timelineFromCard(deps, turn, data.incidentId, data.page ?? 1) };
    }
  }

  /**
   * Action.Submit from a client without Universal Actions: the same verbs. A summary card button
   * updates the card pressed (replyToId), as an Action.Execute answer replaces it. Views (the
   * timeline, a module's cards) come as new cards: Action.Execute shows them to the presser
   * alone, while an edit of the pressed card would show them to everyone in its place.
   */
  async onCardSubmit(turn: TurnInfo, value: Record<string, unknown>): Promise<Reply> {
    const verb = typeof value.verb === 'string' ? value.verb : undefined;
    if (!verb) {
      throw new InputError(
        'That form did not say what to do; use the buttons on an incident card.',
      );
    }
    const answer = await this.onCardAction(turn, verb, value);
    if ('message' in answer) return { text: answer.message };
    if (!isCardVerb(verb) || verb === 'timeline.show') return { card: answer.card };

    // The shared view is rendered from the incident, which the answer does not carry: read again.
    const incident = await incidentForCard(this.deps, turn, String(value.incidentId));
    return syncPressedCard(this.deps, incident, turn) ? null : { card: answer.card };
  }

  async onDialogFetch(turn: TurnInfo, data: Record<string, unknown>) {
    const module = this.moduleForDialog(data);
    if (module?.onDialogFetch) return module.onDialogFetch(turn, data);

    const severity = Number(data.severity) || 3;
    return dialog('Declare incident', renderDeclareForm({ severity, carried: carriedOf(data) }));
  }

  /** Dialog submits carry only their fields; which dialog it was is told by those fields. */
  async onDialogSubmit(turn: TurnInfo, data: Record<string, unknown>) {
    const module = this.moduleForDialog(data);
    if (module?.onDialogSubmit) return module.onDialogSubmit(turn, data);

    if (data.dialog === 'timeline.note' || 'incidentNumber' in data) {
      return submitNote(this.deps, turn, data);
    }
    if (data.dialog === 'incident.declare' || 'title' in data) {
      return declareFromDialog(this.deps, turn, data);
    }
    return dialogMessage('This form is not one of the incident bot’s; nothing was changed.');
  }

  private moduleForDialog(data: Record<string, unknown>) {
    const dialogId = typeof data.dialog === 'string' ? data.dialog : undefined;
    return dialogId ? this.modules.find((m) => m.dialogs?.includes(dialogId)) : undefined;
  }

  onMessageActionFetch(turn: TurnInfo, commandId: string, source: SourceMessage) {
    return fetchMessageAction(this.deps, turn, commandId, source);
  }

  onMessageActionSubmit(turn: TurnInfo, commandId: string, data: unknown) {
    return submitMessageAction(this.deps, turn, commandId, data);
  }
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function isCardVerb(verb: string): verb is CardVerb {
  return (CARD_VERBS as readonly string[]).includes(verb);
}

/** Hidden data from the button that opened a dialog, kept as JSON to hand back on submit. */
function carriedOf(data: Record<string, unknown>): string {
  const { msteams: _msteams, type: _type, dialog: _dialog, ...rest } = data;
  return Object.keys(rest).length > 0 ? JSON.stringify(rest).slice(0, 1000) : '';
}
