import { type DestinationStream, type Logger, pino } from 'pino';

/** Personal data (phone, ID number, birth date) and secrets are censored wherever they appear. */
export const REDACT_PATHS = [
  'phone',
  'idNumber',
  'birthDate',
  '*.phone',
  '*.idNumber',
  '*.birthDate',
  '*.*.phone',
  '*.*.idNumber',
  '*.*.birthDate',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'key',
  '*.key',
];

/**
 * The service's JSON logger. Request bodies are never passed to it; the redaction list is a
 * second line of defence.
 *
 * @example
 * const logger = createLogger('info');
 * logger.info({ requestId }, 'request done');
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'expert-dispatch' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // Synchronous to stdout: no line is lost when the process exits, and lines keep their order
  // with what `main.ts` writes straight to stdout (the demo banner comes after the reminders).
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}
