/**
 * Characters as a person counts them: code points, so an emoji is one character although UTF-16
 * (and so `String.length`) spends two units on it. The "at most N characters" limits of notes and
 * updates count this way, so the number in a refusal matches what the writer sees.
 */
export function charCount(text: string): number {
  return Array.from(text).length;
}

/** "A note is at most 2000 characters; this one has 2345.", or undefined when `text` fits. */
export function lengthProblem(label: string, text: string, max: number): string | undefined {
  const length = charCount(text);
  if (length <= max) return undefined;
  return `${label} is at most ${max} characters; this one has ${length}.`;
}
