import { pino } from 'pino';

export type Logger = pino.Logger;

/** The app's structured logger; tests pass level 'silent'. */
export function createLogger(level: string): Logger {
  return pino({ level, redact: ['req.headers.cookie', 'req.body.password', '*.password'] });
}
