/**
 * The few error kinds a user can be told about. Each maps to one answer in the transport;
 * anything else is unexpected and gets an error id.
 */
export abstract class BotError extends Error {
  abstract readonly kind: 'input' | 'forbidden' | 'not-found' | 'dependency' | 'conflict';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The user typed or submitted something we cannot act on; the message says how to fix it. */
export class InputError extends BotError {
  readonly kind = 'input' as const;
}

/** The user (or tenant) may not do this. */
export class ForbiddenError extends BotError {
  readonly kind = 'forbidden' as const;
}

/** The thing named does not exist (or not for this tenant). */
export class NotFoundError extends BotError {
  readonly kind = 'not-found' as const;
}

/** The change is not allowed from the current state (a closed incident, a stale card). */
export class ConflictError extends BotError {
  readonly kind = 'conflict' as const;
}

/** A service we depend on (Graph, the Teams connector, the database) failed. */
export class DependencyError extends BotError {
  readonly kind = 'dependency' as const;

  constructor(
    message: string,
    readonly dependency: string,
    readonly details: { status?: number; code?: string; requestId?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
