import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

// Secrets and personal data never reach a log line: these keys are censored wherever they appear (top level or one
// object deep, which is where request/notification payloads sit). Log ids, not people.
const SENSITIVE_KEYS = [
  'authorization',
  'cookie',
  'password',
  'secret',
  'secretKey',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'email',
  'phone',
  'phoneNumber',
  'mobile',
  'recipient',
  'name',
  'nationalId',
  'national-id',
  'attributes',
  'signCode',
];
export const REDACTED_PATHS = SENSITIVE_KEYS.flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const sep = key.startsWith('[') ? '' : '.';
  return [key, `*${sep}${key}`, `req.headers${sep}${key}`];
});

export interface LoggerOptions {
  service: string;
  level?: string;
  destination?: DestinationStream;
}

/** JSON logger for one service: every line carries the service name; sensitive keys are censored. */
export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A child logger bound to an order (and task), so every line about it can be found by id. */
export function orderLogger(logger: Logger, ids: { orderId: string; taskId?: string }): Logger {
  return logger.child(ids.taskId ? { orderId: ids.orderId, taskId: ids.taskId } : { orderId: ids.orderId });
}
