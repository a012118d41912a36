import { Binary, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { isPlainObject } from './documents.ts';

/**
 * MongoDB's comparison order of BSON types (missing below null, as aggregation expressions
 * compare it): https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/
 */
export function typeRank(v: unknown): number {
  if (v === undefined) return 0;
  if (v instanceof MinKey) return 1;
  if (v === null) return 2;
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof Long || v instanceof Int32 || v instanceof Double || v instanceof Decimal128) return 3;
  if (typeof v === 'string') return 4;
  if (Array.isArray(v)) return 6;
  if (v instanceof Binary) return 7;
  if (v instanceof ObjectId) return 8;
  if (typeof v === 'boolean') return 9;
  if (v instanceof Date) return 10;
  if (v instanceof Timestamp) return 11;
  if (v instanceof RegExp) return 12;
  if (v instanceof MaxKey) return 14;
  if (isPlainObject(v)) return 5;
  return 13;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** A number of any BSON width as a JS number or, for wide Longs, a bigint. */
function numeric(v: unknown): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (v instanceof Long) return v.high === 0 || v.high === -1 ? v.toNumber() : v.toBigInt();
  if (v instanceof Decimal128) return Number(v.toString());
  return (v as Int32 | Double).valueOf();
}

function compareNumbers(a: unknown, b: unknown): number {
  const x = numeric(a);
  const y = numeric(b);
  if (typeof x === 'number' && typeof y === 'number') {
    // NaN sorts below every other number in MongoDB.
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
    return sign(x - y);
  }
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  // One wide Long against a double: compare as doubles, except on a tie.
  const dx = Number(x);
  const dy = Number(y);
  if (dx !== dy) return dx < dy ? -1 : 1;
  const bx = typeof x === 'bigint' ? x : Number.isInteger(x) ? BigInt(x) : undefined;
  const by = typeof y === 'bigint' ? y : Number.isInteger(y) ? BigInt(y) : undefined;
  return bx !== undefined && by !== undefined ? (bx < by ? -1 : bx > by ? 1 : 0) : 0;
}

function compareBinary(a: Binary, b: Binary): number {
  // BinData: by length, then subtype, then bytes.
  if (a.position !== b.position) return sign(a.position - b.position);
  if (a.sub_type !== b.sub_type) return sign(a.sub_type - b.sub_type);
  return Buffer.compare(Buffer.from(a.buffer.subarray(0, a.position)), Buffer.from(b.buffer.subarray(0, b.position)));
}

function compareStrings(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Compares two BSON values in MongoDB's order; arrays compare element by element. */
export function bsonCompare(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return sign(ra - rb);
  switch (ra) {
    case 3:
      return compareNumbers(a, b);
    case 4:
      return compareStrings(a as string, b as string);
    case 5: {
      const ea = Object.entries(a as object);
      const eb = Object.entries(b as object);
      for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
        const [ka, va] = ea[i]!;
        const [kb, vb] = eb[i]!;
        const c = sign(typeRank(va) - typeRank(vb)) || compareStrings(ka, kb) || bsonCompare(va, vb);
        if (c) return c;
      }
      return sign(ea.length - eb.length);
    }
    case 6: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
        const c = bsonCompare(xa[i], xb[i]);
        if (c) return c;
      }
      return sign(xa.length - xb.length);
    }
    case 7:
      return compareBinary(a as Binary, b as Binary);
    case 8:
      return Buffer.compare(Buffer.from((a as ObjectId).id), Buffer.from((b as ObjectId).id));
    case 9:
      return sign(Number(a) - Number(b));
    case 10:
      return sign((a as Date).getTime() - (b as Date).getTime());
    case 11:
      return (a as Timestamp).compare(b as Timestamp);
    case 12:
      return compareStrings(String(a), String(b));
    default:
      return 0;
  }
}
