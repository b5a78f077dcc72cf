const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Characters as a person counts them: grapheme clusters, so an emoji is one character although
 * UTF-16 (and so `String.length`) spends two units on 🔥, four on 👍🏽 and 🇬🇧, and eight on a
 * family joined by zero-width joiners. The "at most N characters" limits of notes and updates
 * count this way, so the number in a refusal matches what the writer sees.
 */
export function charCount(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/** "A note is at most 2000 characters; this one has 2345.", or undefined when `text` fits. */
export function lengthProblem(label: string, text: string, max: number): string | undefined {
  const length = charCount(text);
  if (length <= max) return undefined;
  return `${label} is at most ${max} characters; this one has ${length}.`;
}
