import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs; secrets that might reach a log line by accident are redacted. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'incident-bot' },
    redact: {
      paths: ['*.MicrosoftAppPassword', '*.authorization', '*.Authorization', 'token', '*.token'],
      censor: '[redacted]',
    },
  });
}
