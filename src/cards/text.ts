/** Cuts `text` to at most `max` characters (never inside an emoji) and marks the cut with "…". */
export function cutText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
