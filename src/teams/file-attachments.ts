import { z } from 'zod';
import type { IncomingFile } from '../evidence/evidence';

const FILE_INFO = 'application/vnd.microsoft.teams.file.download.info';

/**
 * A file a user sent in a 1:1 chat, as Teams describes it. `contentUrl` is the file's place in the
 * sender's OneDrive and needs their token; `content.downloadUrl` is the pre-authenticated link a
 * bot fetches.
 */
const FileInfoSchema = z.object({
  contentType: z.literal(FILE_INFO),
  name: z.string().trim().min(1).max(255),
  content: z.object({
    downloadUrl: z.url(),
    fileType: z.string().max(20).optional(),
    uniqueId: z.string().max(100).optional(),
  }),
});

/** Whether the activity carries any file attachment, well-formed or not. */
export function hasFileAttachment(attachments: ReadonlyArray<{ contentType?: string }> = []) {
  return attachments.some((attachment) => attachment.contentType === FILE_INFO);
}

/** The well-formed file attachments; others (the text/html twin, cards, malformed) are skipped. */
export function filesOf(attachments: readonly unknown[] = []): IncomingFile[] {
  return attachments.flatMap((attachment) => {
    const parsed = FileInfoSchema.safeParse(attachment);
    if (!parsed.success) return [];
    const { name, content } = parsed.data;
    return [
      {
        name,
        downloadUrl: content.downloadUrl,
        fileType: content.fileType,
        uniqueId: content.uniqueId,
      },
    ];
  });
}
