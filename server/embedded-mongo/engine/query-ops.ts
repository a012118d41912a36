import { Binary, DBRef, Decimal128, Long } from 'bson';
import * as queryOperators from 'mingo/operators/query';
import { valueKey } from '../value-key.ts';
import type { Options } from 'mingo/types';
import { resolve } from 'mingo/util';
import { bsonTypeName } from '../bson-types.ts';
import { isPlainObject, type Doc } from '../documents.ts';

/**
 * Query operators where mingo's answers are not MongoDB's, given to mingo in place of its own
 * (engine/mingo.ts). Each takes the field path and the operand and returns a document test.
 */
type QueryOp = (selector: string, value: unknown, options: Options) => (doc: Doc) => boolean;

const TYPE_CODES: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  13: 'javascript',
  14: 'symbol',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  [-1]: 'minKey',
  127: 'maxKey',
};
const NUMBER_TYPES = new Set(['double', 'int', 'long', 'decimal']);
const TYPE_NAMES = new Set([...Object.values(TYPE_CODES), 'number']);

function typeAlias(t: unknown): string {
  const name = typeof t === 'number' ? TYPE_CODES[t] : t;
  if (typeof name !== 'string' || !TYPE_NAMES.has(name)) throw new Error(`Unknown type name alias: ${String(t)}`);
  return name;
}

/** The values a path names, and the elements of those that are arrays (where type tests look). */
function valuesFor(doc: Doc, selector: string): unknown[] {
  const found = resolve(doc, selector, { unwrapArray: true });
  if (found === undefined) return [];
  const top = Array.isArray(found) && selector.includes('.') ? found : [found];
  const out: unknown[] = [];
  for (const v of top) {
    out.push(v);
    if (Array.isArray(v)) out.push(...v);
  }
  return out.filter((v) => v !== undefined);
}

const $type: QueryOp = (selector, value) => {
  const wanted = (Array.isArray(value) ? value : [value]).map(typeAlias);
  const matches = (v: unknown): boolean => {
    const name = bsonTypeName(v);
    return wanted.some((w) => w === name || (w === 'number' && NUMBER_TYPES.has(name)));
  };
  return (doc) => valuesFor(doc, selector).some(matches);
};

/** A value's bits as a non-negative bigint, and whether bits above it are ones (negative numbers). */
function bitsOf(v: unknown): { bits: bigint; negative: boolean } | undefined {
  if (v instanceof Binary) {
    let bits = 0n;
    const bytes = v.buffer.subarray(0, v.position);
    for (let i = bytes.length - 1; i >= 0; i--) bits = (bits << 8n) | BigInt(bytes[i]!);
    return { bits, negative: false };
  }
  let n: bigint | undefined;
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (v instanceof Long) n = v.toBigInt();
  else if (v instanceof Decimal128 && /^-?\d+$/.test(v.toString())) n = BigInt(v.toString());
  if (n === undefined) return undefined;
  return { bits: BigInt.asUintN(64, n), negative: n < 0n };
}

function maskOf(value: unknown): bigint[] {
  if (Array.isArray(value)) {
    return value.map((p) => {
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 0) throw new Error('bit positions must be non-negative integers');
      return BigInt(p);
    });
  }
  const bits = bitsOf(value);
  if (!bits || bits.negative) throw new Error('a bitmask must be a non-negative integer, an array of positions, or BinData');
  const positions: bigint[] = [];
  for (let i = 0n, b = bits.bits; b > 0n; i++, b >>= 1n) if (b & 1n) positions.push(i);
  return positions;
}

function bitsOp(test: (set: boolean[]) => boolean): QueryOp {
  return (selector, value) => {
    const positions = maskOf(value);
    return (doc) =>
      valuesFor(doc, selector).some((v) => {
        const bits = bitsOf(v);
        if (!bits) return false;
        return test(positions.map((p) => (p >= 64n && !(v instanceof Binary) ? bits.negative : ((bits.bits >> p) & 1n) === 1n)));
      });
  };
}

/**
 * `$all` is the `$and` of one `$eq` (or `$elemMatch`) per value, so `{ a: { $all: [1] } }`
 * matches `{ a: 1 }` as well as `{ a: [1, 2] }`.
 */
function allOp(makeQuery: (condition: Doc, options: Options) => { test(doc: Doc): boolean }): QueryOp {
  return (selector, value, options) => {
    if (!Array.isArray(value)) throw new Error('$all needs an array');
    const tests = value.map((v) => makeQuery({ [selector]: isPlainObject(v) && Object.keys(v)[0] === '$elemMatch' ? v : { $eq: v } }, options));
    return (doc) => tests.length > 0 && tests.every((t) => t.test(doc));
  };
}

const mingoElemMatch = (queryOperators as unknown as Record<string, QueryOp>).$elemMatch!;

/**
 * `$elemMatch: { $ref, $id }`: BSON decoding turns that condition, and stored references, into
 * DBRef objects, which mingo cannot take apart; elements match when their `$ref` and `$id`
 * (and `$db`, when asked) are equal.
 */
const $elemMatch: QueryOp = (selector, value, options) => {
  if (!(value instanceof DBRef)) return mingoElemMatch(selector, value, options);
  const id = valueKey(value.oid);
  const same = (el: unknown): boolean => {
    if (el instanceof DBRef) return el.collection === value.collection && valueKey(el.oid) === id && (value.db === undefined || el.db === value.db);
    return isPlainObject(el) && el.$ref === value.collection && valueKey(el.$id) === id && (value.db === undefined || el.$db === value.db);
  };
  return (doc) => {
    const found = resolve(doc, selector, { unwrapArray: true });
    return Array.isArray(found) && found.flat().some(same);
  };
};

/** The overriding query operators. */
export function queryOverrides(makeQuery: (condition: Doc, options: Options) => { test(doc: Doc): boolean }): Record<string, QueryOp> {
  return {
    $type,
    $elemMatch,
    $bitsAllSet: bitsOp((set) => set.every(Boolean)),
    $bitsAnySet: bitsOp((set) => set.some(Boolean)),
    $bitsAllClear: bitsOp((set) => set.every((b) => !b)),
    $bitsAnyClear: bitsOp((set) => set.some((b) => !b)),
    $all: allOp(makeQuery),
  };
}
