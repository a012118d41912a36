import type { Options } from 'mingo/types';
import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, type Doc } from '../documents.ts';
import { find, Query } from './mingo.ts';

type Special = { path: string; slice?: unknown; elemMatch?: Doc };

function isExclusion(value: unknown): boolean {
  return value === 0 || value === false;
}

/** Applies `$slice` to an array: `n` first (or last, negative) elements, or `[skip, limit]`. */
function slice(array: unknown[], spec: unknown): unknown[] {
  if (typeof spec === 'number') return spec >= 0 ? array.slice(0, spec) : array.slice(Math.max(0, array.length + spec));
  if (Array.isArray(spec) && spec.length === 2 && typeof spec[0] === 'number' && typeof spec[1] === 'number') {
    if (spec[1] <= 0) throw new CommandError(ErrorCodes.BadValue, '$slice limit must be positive');
    const from = spec[0] >= 0 ? spec[0] : Math.max(0, array.length + spec[0]);
    return array.slice(from, from + spec[1]);
  }
  throw new CommandError(ErrorCodes.BadValue, '$slice only supports numbers and [skip, limit] arrays');
}

/** A copy of doc with the value at `parts` replaced (or removed when undefined), copying only the path. */
function replaced(doc: Doc, parts: string[], fn: (v: unknown) => unknown): Doc {
  const [head, ...rest] = parts;
  if (!(head! in doc)) return doc;
  const out: Doc = { ...doc };
  if (rest.length === 0) {
    const next = fn(doc[head!]);
    if (next === undefined) delete out[head!];
    else out[head!] = next;
  } else if (isPlainObject(doc[head!])) out[head!] = replaced(doc[head!] as Doc, rest, fn);
  else if (Array.isArray(doc[head!])) out[head!] = (doc[head!] as unknown[]).map((el) => (isPlainObject(el) ? replaced(el, rest, fn) : el));
  return out;
}

/**
 * A find projection as mongod applies it. mingo gets the plain part; `$slice` (which keeps
 * every other field when it stands alone, and may sit beside an exclusion) and `$elemMatch`
 * (whose condition may be operators only, for arrays of scalars) are applied here, and a
 * positional `arr.$` is resolved against the query's filter.
 */
export function applyProjection(docs: Doc[], projection: Doc, filter: Doc | undefined, options: Partial<Options>): Doc[] {
  const specials: Special[] = [];
  const rest: Doc = {};
  for (const [path, value] of Object.entries(projection)) {
    if (isPlainObject(value) && Object.keys(value).length === 1 && '$slice' in value) specials.push({ path, slice: value.$slice });
    else if (isPlainObject(value) && Object.keys(value).length === 1 && isPlainObject(value.$elemMatch)) {
      if (path.includes('.')) throw new CommandError(ErrorCodes.BadValue, 'Cannot use $elemMatch projection on a nested field.');
      specials.push({ path, elemMatch: value.$elemMatch });
    } else rest[path] = value;
  }
  const restKeys = Object.keys(rest).filter((k) => k !== '_id');
  // `$elemMatch` is an inclusion (only `_id` and the field come back); `$slice` is neither.
  const inclusion = restKeys.some((k) => !isExclusion(rest[k])) || specials.some((s) => s.elemMatch !== undefined);
  if (inclusion) for (const s of specials) rest[s.path] = 1;
  // With only `$slice`/`$elemMatch` (and perhaps `_id: 0`), every other field stays.
  const plain = inclusion || restKeys.length > 0 || (specials.length === 0 && Object.keys(rest).length > 0) || isExclusion(rest._id) ? rest : undefined;
  const positional = Object.keys(rest).some((k) => k.endsWith('.$'));
  let out = plain ? (find(docs, positional ? (filter ?? {}) : {}, plain, options).all() as Doc[]) : docs;
  for (const s of specials) {
    const parts = s.path.split('.');
    if (s.slice !== undefined) {
      out = out.map((d) => replaced(d, parts, (v) => (Array.isArray(v) ? slice(v, s.slice) : v)));
    } else {
      const query = new Query({ v: { $elemMatch: s.elemMatch } }, options);
      out = out.map((d) =>
        replaced(d, parts, (v) => {
          if (!Array.isArray(v)) return undefined;
          const hit = v.find((el) => query.test({ v: [el] }));
          return hit === undefined ? undefined : [hit];
        }),
      );
    }
  }
  return out;
}
