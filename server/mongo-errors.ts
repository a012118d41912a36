import { isRecord } from './object-shape.ts';

/** Whether a database error is a unique-index violation (E11000), from the driver or Mongoose. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 11000;
}

/** Driver errors that mean the database cannot answer now (unreachable, restarting). */
const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
]);
/**
 * Server errors that mean "not now" rather than "not this": out of time (50 MaxTimeMSExpired,
 * 262 ExceededTimeLimit), out of memory (146), shutting down (91, 11600, 11602).
 */
const UNAVAILABLE_CODES = new Set([50, 91, 146, 262, 11600, 11602]);

/** Whether an error says the database is unavailable or overloaded: the app answers 503, not 500. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!isRecord(err)) return false;
  const { name, code } = err;
  return (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) || (typeof code === 'number' && UNAVAILABLE_CODES.has(code));
}
