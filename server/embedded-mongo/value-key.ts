import { Binary, Decimal128, Long, ObjectId, Timestamp } from 'bson';

/**
 * A string that is equal for two BSON values exactly when MongoDB treats them as the same
 * index key: numbers of any width compare by value, objects by their fields in order.
 */
export function valueKey(value: unknown): string {
  if (value === undefined || value === null) return 'z';
  switch (typeof value) {
    case 'string':
      return 's' + value;
    case 'number':
      return 'n' + (Object.is(value, -0) ? 0 : value);
    case 'bigint':
      return 'n' + value.toString();
    case 'boolean':
      return value ? 'T' : 'F';
    default:
      break;
  }
  if (value instanceof ObjectId) return 'o' + value.toHexString();
  if (value instanceof Date) return 'd' + value.getTime();
  if (value instanceof Long) return 'n' + value.toString();
  if (value instanceof Decimal128) return 'n' + Number(value.toString());
  if (value instanceof Binary) return 'b' + value.sub_type + ':' + Buffer.from(value.buffer).toString('base64');
  if (value instanceof Timestamp) return 't' + value.toString();
  if (Array.isArray(value)) return '[' + value.map(valueKey).join(',') + ']';
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) parts.push(JSON.stringify(k) + ':' + valueKey(v));
    return '{' + parts.join(',') + '}';
  }
  return 'x' + String(value);
}

/** True for values an equality filter can look up in a hash index without a scan. */
export function isIndexableScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof ObjectId || value instanceof Date;
}
