/**
 * Escapes text for a TextBlock or FactSet value, which Teams renders as a small markdown
 * subset. User text that must stay exactly as typed goes into a RichTextBlock TextRun instead,
 * which is never parsed as markdown.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/([\\`*_[\]()#~>|])/g, '\\$1')
    .replace(/^(\s*)([-+]|\d+\.)(\s)/gm, '$1\\$2$3');
}
