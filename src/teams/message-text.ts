import { decode } from 'html-entities';
import type { MentionedPerson } from '../commands/turn';

/** The subset of a Teams mention entity we read. */
export interface MentionEntity {
  type: string;
  text?: string;
  mentioned?: { id?: string; name?: string; aadObjectId?: string };
}

export type { MentionedPerson };

export interface CleanText {
  text: string;
  /** Whether the bot itself was @mentioned (channel posts that do not mention it are chatter). */
  botMentioned: boolean;
  /** People other than the bot, once each, in order of first mention. */
  people: MentionedPerson[];
}

const MARK = '\u0001';
const MARKER = /\u0001(\d+)\u0001/g;
const AT_TAG = /<at[^>]*>([\s\S]*?)<\/at>/gi;
// Formatting tags Teams may leave in `text`; anything else in angle brackets is the user's words.
const FORMATTING_TAG =
  /<\/?(?:p|div|span|br|b|strong|i|em|u|s|strike|code|pre|ol|ul|li|blockquote|h[1-6])\b[^>]*>/gi;

/**
 * Turns a Teams message text into a command line: removes the bot's own mention (found by the
 * mention entity whose id is the bot's, never by display name), rebuilds other people's names
 * (Teams may split one name into several tags), drops formatting tags and decodes entities.
 */
export function cleanMessageText(
  rawText: string,
  entities: readonly MentionEntity[],
  botId: string,
): CleanText {
  const mentions = entities.filter((entity) => entity.type === 'mention' && entity.mentioned?.id);
  const used = new Set<number>();
  const people = new Map<string, MentionedPerson & { parts: string[] }>();
  let botMentioned = false;

  const withoutTags = rawText.replace(AT_TAG, (_tag, inner: string) => {
    const index = matchMention(inner, mentions, used);
    const mentioned = index === undefined ? undefined : mentions[index].mentioned;
    if (!mentioned?.id) return inner;
    if (sameId(mentioned.id, botId)) {
      botMentioned = true;
      return ' ';
    }

    const known = people.get(mentioned.id);
    const part = stripTags(inner).trim();
    if (known) {
      known.parts.push(part);
      return '';
    }
    people.set(mentioned.id, {
      teamsId: mentioned.id,
      name: part,
      aadObjectId: mentioned.aadObjectId,
      parts: [part],
    });
    // A marker, replaced by the full name once every tag of this person has been seen.
    return `${MARK}${people.size - 1}${MARK}`;
  });

  const text = normaliseSpace(decode(withoutTags.replace(FORMATTING_TAG, ' ')));
  const rebuilt = [...people.values()].map(({ parts, ...person }) => ({
    ...person,
    name: parts.join(' '),
  }));
  const named = text.replace(MARKER, (_marker, index: string) => `@${rebuilt[Number(index)].name}`);
  return { text: normaliseSpace(named), botMentioned, people: rebuilt };
}

/** Plain text from an HTML message body (message actions send HTML). */
export function htmlToText(html: string): string {
  const withBreaks = html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(?:p|div|li)>/gi, '\n');
  return normaliseSpace(decode(stripTags(withBreaks)), true);
}

function matchMention(inner: string, mentions: readonly MentionEntity[], used: Set<number>) {
  const wanted = normaliseName(inner);
  let index = mentions.findIndex(
    (entity, i) =>
      !used.has(i) &&
      (normaliseName(entity.text ?? '') === wanted ||
        normaliseName(entity.mentioned?.name ?? '') === wanted),
  );
  // Entity text does not always match the tag (e.g. "<at>@Name</at>" against "<at>Name</at>"):
  // fall back to the order in which Teams lists them.
  if (index < 0) index = mentions.findIndex((_entity, i) => !used.has(i));
  if (index < 0) return undefined;
  used.add(index);
  return index;
}

function normaliseName(value: string): string {
  return stripTags(decode(value)).replace(/^@/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

function stripTags(value: string): string {
  return value.replace(/<[^>]*>/g, '');
}

function sameId(a: string, b: string): boolean {
  // The bot's id arrives as "28:<guid>" and sometimes in other forms ("8:orgid:<guid>").
  const tail = (id: string) => id.split(':').pop()?.toLowerCase();
  return a === b || (tail(a) !== undefined && tail(a) === tail(b));
}

function normaliseSpace(value: string, keepNewlines = false): string {
  const spaced = value.replace(/[\u00a0\u2007\u202f]/g, ' ');
  if (keepNewlines) {
    return spaced
      .split('\n')
      .map((line) => line.replace(/[ \t]+/g, ' ').trim())
      .filter((line, i, lines) => line !== '' || (i > 0 && lines[i - 1] !== ''))
      .join('\n')
      .trim();
  }
  return spaced.replace(/\s+/g, ' ').trim();
}
