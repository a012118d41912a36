import { isPlainObject, type Doc } from '../documents.ts';

/** The sub-paths a dotted inclusion keeps under one field: `true` keeps the whole value. */
type Tree = Map<string, Tree | true>;

/** An inclusion projection of plain paths (`{ a: 1, 'b.c': 1 }`), as `pick` applies it. */
export interface Inclusion {
  /** What is kept of each top-level field (`true`: all of it). */
  tree: Tree;
  withId: boolean;
}

/**
 * The paths of a projection that only includes fields (`{ a: 1, 'b.c': 1 }`, with or without
 * `_id: 0`), or undefined for anything else (mingo handles those): operators, exclusions, numeric
 * path parts, sub-paths of `_id`, and paths that collide (`a` beside `a.b`, an error of mongod's).
 */
export function topLevelInclusion(projection: Doc): Inclusion | undefined {
  const tree: Tree = new Map();
  let withId = true;
  for (const [path, value] of Object.entries(projection)) {
    if (path === '_id' && (value === 0 || value === false)) {
      withId = false;
      continue;
    }
    if (path.startsWith('$') || path.startsWith('_id.') || !(value === 1 || value === true)) return undefined;
    if (path === '_id') continue;
    const parts = path.split('.');
    if (parts.some((part) => part === '' || part.startsWith('$') || /^\d+$/.test(part))) return undefined;
    let node = tree;
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      const here = node.get(part);
      if (last) {
        if (here !== undefined) return undefined;
        node.set(part, true);
      } else {
        if (here === true) return undefined;
        if (here === undefined) node.set(part, (node = new Map()));
        else node = here;
      }
    }
  }
  // `{ _id: 0 }` alone excludes, and `{ _id: 1 }` alone is rare: both go to mingo.
  return tree.size ? { tree, withId } : undefined;
}

/** What a dotted inclusion keeps of a value: a document's chosen fields, an array's elements projected (scalars dropped), nothing of a scalar. */
function keep(value: unknown, tree: Tree): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const el of value) if (Array.isArray(el) || isPlainObject(el)) out.push(keep(el, tree));
    return out;
  }
  if (!isPlainObject(value)) return undefined;
  return into(value, tree);
}

function into(doc: Doc, tree: Tree): Doc {
  const out: Doc = {};
  for (const f of Object.keys(doc)) {
    const sub = tree.get(f);
    if (sub === undefined) continue;
    if (sub === true) out[f] = doc[f];
    else {
      const kept = keep(doc[f], sub);
      if (kept !== undefined) out[f] = kept;
    }
  }
  return out;
}

/**
 * Applies an inclusion projection as mongod does: `_id` first, then the fields in the document's
 * order; under a dotted path a sub-document keeps the chosen fields (and stays, empty, without
 * them), an array keeps its documents so projected and drops its scalars, a scalar goes.
 */
export function pick(doc: Doc, { tree, withId }: Inclusion): Doc {
  const out: Doc = {};
  if (withId && '_id' in doc) out._id = doc._id;
  return Object.assign(out, into(doc, tree));
}
