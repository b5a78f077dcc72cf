import { decode } from 'html-entities';
import { tidyLines } from '../commands/command-parser';
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
// A block tag ends a word; an inline one leaves none behind, as a browser shows it: the twin's
// "<strong>bold</strong>-<em>italic</em>" (fixture T13) is the one word "bold-italic".
const BLOCK_TAG = /<\/?(?:p|div|br|pre|ol|ul|li|blockquote|h[1-6])\b[^>]*>/gi;
const INLINE_TAG = /<\/?(?:span|b|strong|i|em|u|s|strike|code)\b[^>]*>/gi;
// Where a line ends in HTML: a break, or the end of a paragraph, block or list item.
const LINE_END_TAG = /<br\s*\/?>|<\/(?:p|div|li)>/gi;

// How a mention looks in the HTML twin of a message (fixture T01).
const MENTION_SPAN =
  /<span\b[^>]*itemtype="http:\/\/schema\.skype\.com\/Mention"[^>]*>([\s\S]*?)<\/span>/gi;

/**
 * Turns a Teams message text into a command line: removes the bot's own mention (found by the
 * mention entity whose id is the bot's, never by display name), rebuilds other people's names
 * (Teams may split one name into several tags), drops formatting tags and decodes entities.
 *
 * Line breaks stay, so free text such as an update keeps its lines (the command parser splits
 * words on any space). Teams writes them as "\n" in `text`, but may also run two lines together
 * there ("delayed.Use OWA"), while the HTML twin keeps them as <br> and paragraphs. The twin is
 * read instead of `text` only when the two say the same but for spaces: where they differ in
 * anything else (fixture T13), `text` decides, as it always did. The Agents Playground sends
 * the lines run together and no twin, so there they cannot be told apart.
 */
export function cleanMessageText(
  rawText: string,
  entities: readonly MentionEntity[],
  botId: string,
  htmlTwin?: string,
): CleanText {
  // Card presses and most events carry no text: nothing to clean, and they are the hot path.
  if (rawText === '' && !htmlTwin) return { text: '', botMentioned: false, people: [] };

  const plain = cleanText(rawText, entities, botId);
  if (!htmlTwin) return plain;

  const rich = cleanText(htmlTwin.replace(MENTION_SPAN, '<at>$1</at>'), entities, botId);
  const squeezed = (text: string) => text.replace(/\s+/g, '');
  return squeezed(rich.text) === squeezed(plain.text) ? rich : plain;
}

function cleanText(rawText: string, entities: readonly MentionEntity[], botId: string): CleanText {
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

  const lines = withoutTags
    .replace(LINE_END_TAG, '\n')
    .replace(BLOCK_TAG, ' ')
    .replace(INLINE_TAG, '');
  const text = tidyLines(decode(lines));
  const rebuilt = [...people.values()].map(({ parts, ...person }) => ({
    ...person,
    name: parts.join(' '),
  }));
  const named = text.replace(MARKER, (_marker, index: string) => `@${rebuilt[Number(index)].name}`);
  return { text: tidyLines(named), botMentioned, people: rebuilt };
}

/** Plain text from an HTML message body (message actions send HTML). */
export function htmlToText(html: string): string {
  const withBreaks = html.replace(LINE_END_TAG, '\n');
  return tidyLines(decode(stripTags(withBreaks)));
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
