import type { IncomingFile } from '../evidence/evidence';
import type { CommandLine } from './command-parser';
import type { Reply, TurnInfo } from './turn';

/** What a card button gets back: a card that replaces the pressed one, or a line of text. */
export type CardAnswer = { card: object } | { message: string };

/** A task module (dialog) answer: `{ task: { type: 'continue' | 'message', value } }`. */
export type DialogAnswer = object;

/**
 * A feature's commands, card verbs and dialogs (stakeholder comms, security…), registered with
 * the router in src/app.ts. The incident core's own commands are routed directly.
 */
export interface CommandModule {
  /** Command words, lower case (`update`, `subscribe`). */
  readonly words: readonly string[];
  /** Action.Execute verbs (`comms.follow`), also accepted from Action.Submit fallbacks. */
  readonly verbs: readonly string[];
  /** Dialog ids this module opens and takes submits for (the `dialog` field of the data). */
  readonly dialogs?: readonly string[];
  /** Lines for the help card. */
  readonly help?: ReadonlyArray<{ usage: string; description: string }>;

  onText(turn: TurnInfo, line: CommandLine): Promise<Reply>;
  onCardAction?(turn: TurnInfo, verb: string, data: Record<string, unknown>): Promise<CardAnswer>;
  /** Files sent to the bot, with the text of their message; one module takes them. */
  onFiles?(turn: TurnInfo, files: IncomingFile[], text: string): Promise<Reply>;
  onDialogFetch?(turn: TurnInfo, data: Record<string, unknown>): Promise<DialogAnswer>;
  onDialogSubmit?(turn: TurnInfo, data: Record<string, unknown>): Promise<DialogAnswer>;
}
