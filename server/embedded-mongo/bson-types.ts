import { Binary, BSONRegExp, BSONSymbol, Code, DBRef, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';

/**
 * The name `$type` and error messages give a value's BSON type. Numbers are decoded as JS
 * numbers (promoteValues), so a whole number that fits 32 bits reads as `int`, any other whole
 * number as `long` only when it was a Long wrapper, and the rest as `double`.
 */
export function bsonTypeName(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 && !Object.is(v, -0) ? 'int' : 'double';
    case 'bigint':
      return 'long';
    default:
      break;
  }
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof ObjectId) return 'objectId';
  if (v instanceof Binary) return 'binData';
  if (v instanceof Long) return 'long';
  if (v instanceof Int32) return 'int';
  if (v instanceof Double) return 'double';
  if (v instanceof Decimal128) return 'decimal';
  if (v instanceof Timestamp) return 'timestamp';
  if (v instanceof RegExp || v instanceof BSONRegExp) return 'regex';
  if (v instanceof MinKey) return 'minKey';
  if (v instanceof MaxKey) return 'maxKey';
  if (v instanceof Code) return 'javascript';
  if (v instanceof BSONSymbol) return 'symbol';
  if (v instanceof DBRef) return 'object';
  return 'object';
}

/** True for every BSON number type. */
export function isBsonNumber(v: unknown): boolean {
  return typeof v === 'number' || v instanceof Long || v instanceof Int32 || v instanceof Double || v instanceof Decimal128;
}
