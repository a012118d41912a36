import { Decimal128, Double, Int32, Long } from 'bson';
import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, setPath, valueAtPath, type Doc } from '../documents.ts';

function isWide(v: unknown): boolean {
  return v instanceof Long || v instanceof Decimal128 || typeof v === 'bigint';
}

function plain(v: unknown): number | bigint {
  if (v instanceof Int32 || v instanceof Double) return v.valueOf();
  if (v instanceof Long) return v.toBigInt();
  return v as number | bigint;
}

/** `a + b` or `a * b` where one side is an Int64 (kept exact, and kept an Int64) or a double. */
function combine(op: '$inc' | '$mul', a: unknown, b: unknown): unknown {
  if (a instanceof Decimal128 || b instanceof Decimal128) {
    throw new CommandError(ErrorCodes.NotImplemented, `${op} on a Decimal128 is not supported by the embedded server`);
  }
  const x = plain(a ?? 0);
  const y = plain(b);
  if (!isWide(a) && !isWide(b)) return op === '$inc' ? Number(x) + Number(y) : Number(x) * Number(y);
  const integral = (v: number | bigint) => typeof v === 'bigint' || Number.isInteger(v);
  if (integral(x) && integral(y)) {
    const r = op === '$inc' ? BigInt(x) + BigInt(y) : BigInt(x) * BigInt(y);
    if (r > 0x7fffffffffffffffn || r < -0x8000000000000000n)
      throw new CommandError(ErrorCodes.BadValue, `Failed to apply ${op} operations to current value: integer overflow`);
    return Long.fromBigInt(r);
  }
  return op === '$inc' ? Number(x) + Number(y) : Number(x) * Number(y);
}

/**
 * Takes out of the modifier the `$inc`/`$mul` entries that involve an Int64 or Decimal128, or
 * a field named like an Object member,
 * (mingo and the simple path only add JS numbers, which are exact to 2^53 only), and returns a
 * function that applies them to the updated document.
 */
export function takeWideArithmetic(base: Doc, modifier: Doc): ((doc: Doc) => void) | undefined {
  const steps: Array<[string, '$inc' | '$mul', unknown]> = [];
  for (const op of ['$inc', '$mul'] as const) {
    const fields = modifier[op];
    if (!isPlainObject(fields)) continue;
    let rest: Doc | undefined;
    for (const [path, arg] of Object.entries(fields)) {
      // mingo reads inherited properties (`valueOf`) as fields: those paths are done here too.
      const inherited = path.split('.').some((part) => part in Object.prototype);
      if (!inherited && !isWide(arg) && !isWide(valueAtPath(base, path))) continue;
      steps.push([path, op, arg]);
      rest ??= { ...fields };
      delete rest[path];
    }
    // The modifier is the caller's own copy; its field objects are replaced, never edited.
    if (rest) {
      if (Object.keys(rest).length === 0) delete modifier[op];
      else modifier[op] = rest;
    }
  }
  if (steps.length === 0) return undefined;
  return (doc) => {
    for (const [path, op, arg] of steps) setPath(doc, path, combine(op, op === '$mul' ? (valueAtPath(doc, path) ?? 0) : valueAtPath(doc, path), arg));
  };
}
