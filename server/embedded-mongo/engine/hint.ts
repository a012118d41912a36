import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject } from '../documents.ts';
import { valueKey } from '../value-key.ts';
import type { Collection } from './collection.ts';

/**
 * Checks a `hint`: an index name, a key pattern or `{ $natural: ±1 }`. Every plan gives the
 * same documents here (indexes only narrow the candidates), so a hint of an existing index is
 * honoured by construction; one that names no index is refused as mongod refuses it.
 */
export function assertHint(coll: Collection | undefined, hint: unknown): void {
  if (hint === undefined || hint === null || coll === undefined) return;
  if (typeof hint === 'string') {
    if (hint === '' || coll.indexSpecs().some((s) => s.name === hint && s.hidden !== true)) return;
  } else if (isPlainObject(hint)) {
    const keys = Object.keys(hint);
    if (keys.length === 0) return;
    if (keys.length === 1 && keys[0] === '$natural') return;
    if (coll.indexSpecs().some((s) => valueKey(s.key) === valueKey(hint) && s.hidden !== true)) return;
  } else {
    throw new CommandError(ErrorCodes.FailedToParse, 'hint must be a string or an object');
  }
  throw new CommandError(
    ErrorCodes.BadValue,
    'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
  );
}
