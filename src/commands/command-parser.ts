import { InputError } from '../errors';
import {
  NOTE_MAX,
  ROLES,
  STATUSES,
  TITLE_MAX,
  type Role,
  type Severity,
  type Status,
} from '../incidents/incident';
import { lengthProblem } from '../incidents/text-length';

/** The highest timeline page a command or button may ask for (the card schema says the same). */
export const TIMELINE_PAGE_MAX = 10_000;

/** A typed command. `incidentNumber` is set when the user named an incident with `INC-<n>`. */
export type Command =
  | { name: 'incident.declare'; title?: string; severity?: Severity; defenderIncidentId?: string }
  | { name: 'incident.status'; incidentNumber?: number; status: Status }
  | { name: 'incident.severity'; incidentNumber?: number; severity: Severity }
  | { name: 'role.assign'; incidentNumber?: number; role: Role }
  | { name: 'timeline.note'; incidentNumber?: number; text: string }
  | { name: 'timeline.show'; incidentNumber?: number; page: number }
  | { name: 'incident.summary'; incidentNumber?: number }
  | { name: 'incident.list' }
  | { name: 'help.show'; unknown?: string };

const USAGE: Record<Exclude<Command['name'], 'help.show' | 'incident.list'>, string> = {
  'incident.declare': 'declare <title> [sev1|sev2|sev3|sev4] [defender:<id>]',
  'incident.status': `status <${STATUSES.join('|')}>`,
  'incident.severity': 'sev <1-4>',
  'role.assign': `assign <${ROLES.join('|')}> @person`,
  'timeline.note': 'note <text>',
  'timeline.show': 'timeline [page]',
  'incident.summary': 'summary',
};

const ALIASES: Record<string, Command['name']> = {
  declare: 'incident.declare',
  new: 'incident.declare',
  status: 'incident.status',
  sev: 'incident.severity',
  severity: 'incident.severity',
  assign: 'role.assign',
  note: 'timeline.note',
  timeline: 'timeline.show',
  summary: 'incident.summary',
  list: 'incident.list',
  help: 'help.show',
};

const INCIDENT_REF = /^inc-?(\d{1,9})$/i;
const DEFENDER_TOKEN = /^defender:(.*)$/i;
const DEFENDER_ID = /^[A-Za-z0-9-]{1,64}$/;
const SEVERITY_TOKEN = /^sev\s?([1-4])$/i;

/** A command line split into its word, the incident it names (if any) and the rest. */
export interface CommandLine {
  word: string;
  /** The words after the command word (and incident), whatever space was between them. */
  args: string[];
  /**
   * The same part as typed, for free text (`update`, `note`): its line breaks kept, spaces in a
   * line collapsed as between `args`, at most one blank line in a row.
   */
  rest: string;
  incidentNumber?: number;
}

/**
 * Splits a cleaned message (bot mention already removed): an optional leading `/`, an optional
 * `incident` prefix, and `INC-<n>` before the command word or as its first argument.
 */
export function splitCommandLine(text: string): CommandLine {
  const tokens = [...text.matchAll(/\S+/g)];
  const words = tokens.map((token) => token[0]);
  // How many words come before the arguments.
  let taken = 0;

  if (words[0]?.startsWith('/')) words[0] = words[0].slice(1);
  if (words[0]?.toLowerCase() === 'incident') taken++;

  // "INC-42 status resolved" names the incident before the command.
  let incidentNumber = parseIncidentRef(words[taken]);
  if (incidentNumber !== undefined) taken++;

  const word = (words[taken] ?? '').toLowerCase();
  taken++;
  if (word !== 'declare' && word !== 'new' && incidentNumber === undefined) {
    incidentNumber = parseIncidentRef(words[taken]);
    if (incidentNumber !== undefined) taken++;
  }
  const rest = taken < tokens.length ? tidyLines(text.slice(tokens[taken].index)) : '';
  return { word, args: words.slice(taken), rest, incidentNumber };
}

/**
 * Spaces (any kind, tabs, no-break spaces) collapsed within each line, line breaks kept with at
 * most one blank line in a row, the whole trimmed: free text as a person meant it.
 */
export function tidyLines(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .filter((line, i, lines) => line !== '' || (i > 0 && lines[i - 1] !== ''))
    .join('\n')
    .trim();
}

/**
 * Parses the cleaned text of a message into one of the incident core's commands.
 * Throws InputError with one sentence naming the problem and the right form.
 */
export function parseCommand(text: string): Command {
  const line = splitCommandLine(text);
  if (line.word === '') return { name: 'help.show' };

  const name = ALIASES[line.word];
  if (!name) return { name: 'help.show', unknown: line.word };
  return buildCommand(name, line);
}

function buildCommand(name: Command['name'], { args, rest, incidentNumber }: CommandLine): Command {
  switch (name) {
    case 'incident.declare':
      return parseDeclare(args);
    case 'incident.status': {
      const status = STATUSES.find((candidate) => candidate === args[0]?.toLowerCase());
      if (!status || args.length !== 1) throw usage(name, 'Say which status.');
      return { name, incidentNumber, status };
    }
    case 'incident.severity': {
      const severity = parseSeverity(args.join(''));
      if (!severity) throw usage(name, 'Severity is a number from 1 to 4.');
      return { name, incidentNumber, severity };
    }
    case 'role.assign': {
      const role = ROLES.find((candidate) => candidate === args[0]?.toLowerCase());
      if (!role) throw usage(name, 'Say which role.');
      return { name, incidentNumber, role };
    }
    case 'timeline.note': {
      const text = rest;
      if (text.length === 0) throw usage(name, 'A note needs some text.');
      // Refused here, before the incident is looked up; the usage line would not help.
      const tooLong = lengthProblem('A note', text, NOTE_MAX);
      if (tooLong) throw new InputError(tooLong);
      return { name, incidentNumber, text };
    }
    case 'timeline.show': {
      const page = args.length === 0 ? 1 : Number(args[0]);
      if (!Number.isInteger(page) || page < 1) throw usage(name, 'The page is a whole number.');
      // Past the last page shows the last page; a huge number must not reach the SQL offset.
      return { name, incidentNumber, page: Math.min(page, TIMELINE_PAGE_MAX) };
    }
    case 'incident.summary':
      // Anything after it is more likely a mistyped command than words to ignore.
      if (args.length > 0) throw usage(name, 'The summary takes no more words.');
      return { name, incidentNumber };
    case 'incident.list':
      return { name };
    case 'help.show':
      return { name };
  }
}

function parseDeclare(args: string[]): Command {
  const rest = [...args];
  let severity: Severity | undefined;

  // "defender:<id>" anywhere links a Defender XDR incident; it is not part of the title.
  const defenderAt = rest.findIndex((token) => DEFENDER_TOKEN.test(token));
  const defenderIncidentId =
    defenderAt === -1 ? undefined : DEFENDER_TOKEN.exec(rest.splice(defenderAt, 1)[0])?.[1];
  if (defenderIncidentId !== undefined && !DEFENDER_ID.test(defenderIncidentId)) {
    throw usage('incident.declare', 'A Defender incident id is its number (defender:2972395).');
  }

  // The severity may come last ("declare Exchange down sev2") or first ("declare sev1 …").
  const last = parseSeverity(rest[rest.length - 1] ?? '');
  if (last && rest.length > 0) {
    severity = last;
    rest.pop();
  } else if (parseSeverity(rest[0] ?? '')) {
    severity = parseSeverity(rest.shift() ?? '');
  }

  const title = rest.join(' ').trim();
  const linked = defenderIncidentId === undefined ? {} : { defenderIncidentId };
  if (title.length === 0) return { name: 'incident.declare', severity, ...linked };
  if (title.length > TITLE_MAX) {
    throw usage('incident.declare', `A title is at most ${TITLE_MAX} characters.`);
  }
  return { name: 'incident.declare', title, severity, ...linked };
}

export function parseSeverity(token: string): Severity | undefined {
  const match = SEVERITY_TOKEN.exec(token) ?? /^([1-4])$/.exec(token);
  return match ? (Number(match[1]) as Severity) : undefined;
}

/** The number in an incident reference such as "INC-0042" or "inc42"; undefined otherwise. */
export function parseIncidentRef(token: string | undefined): number | undefined {
  const match = token ? INCIDENT_REF.exec(token) : null;
  return match ? Number(match[1]) : undefined;
}

function usage(name: keyof typeof USAGE, problem: string): InputError {
  return new InputError(`${problem} Use: ${USAGE[name]}`);
}

export function usageOf(name: keyof typeof USAGE): string {
  return USAGE[name];
}
