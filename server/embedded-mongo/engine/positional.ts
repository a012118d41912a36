import type { Options } from 'mingo/types';
import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, valueAtPath, type Doc } from '../documents.ts';
import { Query } from './mingo.ts';

const IDENTIFIER = /^\$\[([a-z][A-Za-z0-9]*)?\]$/;

function isPositional(part: string): boolean {
  return part === '$' || IDENTIFIER.test(part);
}

/** True when some path of the modifier has a `$`, `$[]` or `$[id]` part. */
export function hasPositional(modifier: Doc): boolean {
  return Object.values(modifier).some((fields) => isPlainObject(fields) && Object.keys(fields).some((p) => p.includes('$') && p.split('.').some(isPositional)));
}

/** A copy of `doc` whose value at `path` is replaced, copying only the objects on the path. */
function withValueAt(doc: Doc, parts: string[], value: unknown): Doc {
  const [head, ...rest] = parts;
  const out: Doc = { ...doc };
  out[head!] = rest.length === 0 ? value : withValueAt(isPlainObject(doc[head!]) ? (doc[head!] as Doc) : {}, rest, value);
  return out;
}

/**
 * The index of the array element the query matched, for `arr.$`: the first element that alone
 * satisfies the filter (the array replaced by that one element), as mongod records it.
 */
function matchedIndex(doc: Doc, prefix: string, filter: Doc | undefined, options: Partial<Options>): number {
  const array = valueAtPath(doc, prefix);
  const fail = (): never => {
    throw new CommandError(ErrorCodes.BadValue, 'The positional operator did not find the match needed from the query.');
  };
  if (!Array.isArray(array) || !filter || !mentions(filter, prefix)) return fail();
  const query = new Query(filter, options);
  const parts = prefix.split('.');
  for (let i = 0; i < array.length; i++) if (query.test(withValueAt(doc, parts, [array[i]]))) return i;
  return fail();
}

/** Whether a filter has a condition on `path` or below it (where `$` takes its index from). */
function mentions(filter: Doc, path: string): boolean {
  return Object.entries(filter).some(([key, cond]) => {
    if (key === '$and' || key === '$or' || key === '$nor') return Array.isArray(cond) && cond.some((sub) => isPlainObject(sub) && mentions(sub, path));
    return key === path || key.startsWith(path + '.');
  });
}

/** The arrayFilters by identifier: `[{ 'e.id': 2 }]` → e → a test of one element. */
function compileArrayFilters(arrayFilters: Doc[] | undefined, options: Partial<Options>): Map<string, (el: unknown) => boolean> {
  const byId = new Map<string, Doc>();
  for (const f of arrayFilters ?? []) {
    if (!isPlainObject(f)) throw new CommandError(ErrorCodes.FailedToParse, 'arrayFilters must be an array of objects');
    for (const [key, cond] of Object.entries(f)) {
      const id = key.split('.')[0]!;
      const into = byId.get(id) ?? {};
      into[key] = cond;
      byId.set(id, into);
    }
  }
  const tests = new Map<string, (el: unknown) => boolean>();
  for (const [id, cond] of byId) {
    const query = new Query(cond, options);
    tests.set(id, (el) => query.test({ [id]: el }));
  }
  return tests;
}

/**
 * Rewrites `$`, `$[]` and `$[id]` paths into the concrete paths they name in this document
 * (`slides.$.a` → `slides.1.a`), as mongod resolves them before applying the update. Two
 * fields of one matched element then are two distinct paths, not a conflict.
 */
export function expandPositional(doc: Doc, modifier: Doc, filter: Doc | undefined, arrayFilters: Doc[] | undefined, options: Partial<Options>): Doc {
  const tests = compileArrayFilters(arrayFilters, options);
  const used = new Set<string>();
  const out: Doc = {};
  for (const [op, fields] of Object.entries(modifier)) {
    const expanded: Doc = {};
    for (const [path, value] of Object.entries(fields as Doc)) {
      for (const concrete of expandPath(doc, path.split('.'), filter, tests, used, options)) expanded[concrete] = value;
    }
    if (Object.keys(expanded).length > 0) out[op] = expanded;
  }
  for (const id of tests.keys()) {
    if (!used.has(id))
      throw new CommandError(ErrorCodes.FailedToParse, `The array filter for identifier '${id}' was not used in the update ${JSON.stringify(modifier)}`);
  }
  return out;
}

function expandPath(
  doc: Doc,
  parts: string[],
  filter: Doc | undefined,
  tests: Map<string, (el: unknown) => boolean>,
  used: Set<string>,
  options: Partial<Options>,
): string[] {
  let results: Array<{ path: string[]; node: unknown }> = [{ path: [], node: doc }];
  for (const part of parts) {
    const next: Array<{ path: string[]; node: unknown }> = [];
    for (const { path, node } of results) {
      if (part === '$') {
        const i = matchedIndex(doc, path.join('.'), filter, options);
        next.push({ path: [...path, String(i)], node: (node as unknown[])[i] });
        continue;
      }
      const m = IDENTIFIER.exec(part);
      if (!m) {
        next.push({ path: [...path, part], node: isPlainObject(node) || Array.isArray(node) ? (node as Doc)[part] : undefined });
        continue;
      }
      if (!Array.isArray(node)) {
        throw new CommandError(ErrorCodes.BadValue, `The path '${path.join('.')}' must exist in the document in order to apply array updates.`);
      }
      const id = m[1];
      const test = id === undefined ? () => true : tests.get(id);
      if (!test) throw new CommandError(ErrorCodes.BadValue, `No array filter found for identifier '${id}' in path '${parts.join('.')}'`);
      if (id !== undefined) used.add(id);
      node.forEach((el, i) => {
        if (test(el)) next.push({ path: [...path, String(i)], node: el });
      });
    }
    results = next;
  }
  return results.map((r) => r.path.join('.'));
}
