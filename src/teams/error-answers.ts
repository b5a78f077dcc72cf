import { randomUUID } from 'node:crypto';
import { BotError } from '../errors';
import type { Logger } from '../logger';

/**
 * The one sentence a user sees for an error. Known kinds say what to do; anything else gets an
 * id the user can quote, and the stack goes to the log under that id.
 */
export function userMessageFor(error: unknown, logger: Logger, fields: object): string {
  if (error instanceof BotError) {
    logger.info({ ...fields, kind: error.kind }, 'request refused');
    switch (error.kind) {
      case 'input':
      case 'conflict':
      case 'not-found':
        return error.message;
      case 'forbidden':
        return `Not allowed: ${error.message}`;
      case 'dependency':
        return `${error.message} Nothing was lost; try again in a moment.`;
    }
  }

  const errorId = randomUUID().slice(0, 8);
  logger.error({ ...fields, errorId, err: error }, 'unexpected error');
  return `Something went wrong on our side (error id ${errorId}). Nothing you did was lost.`;
}
