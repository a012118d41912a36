import { Binary } from 'bson';
import * as queryOperators from 'mingo/operators/query';
import { bsonCompare } from '../bson-order.ts';
import type { CollationSpec, Options } from 'mingo/types';
import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, type Doc } from '../documents.ts';
import { resolve } from 'mingo/util';

/**
 * Collation, the common cases: a locale Intl knows, strength 1 (base letters: a = A = á),
 * 2 (a = A, a ≠ á) or 3 (the default, case- and accent-sensitive), optionally caseLevel,
 * caseFirst and numericOrdering. Strings then compare with Intl.Collator in filters and sorts.
 * Other options are refused rather than ignored.
 */
const SUPPORTED_FIELDS = new Set([
  'locale',
  'strength',
  'caseLevel',
  'caseFirst',
  'numericOrdering',
  'alternate',
  'maxVariable',
  'backwards',
  'normalization',
  'version',
]);

function badField(spec: Doc, field: string): CommandError {
  return new CommandError(ErrorCodes.BadValue, `Field '${field}' is invalid in: ${JSON.stringify(spec)}`);
}

/** A validated collation, or undefined for none / `{ locale: 'simple' }` (binary comparison). */
export function parseCollation(raw: unknown): CollationSpec | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) throw new CommandError(ErrorCodes.TypeMismatch, 'collation must be an object');
  for (const field of Object.keys(raw))
    if (!SUPPORTED_FIELDS.has(field)) throw new CommandError(ErrorCodes.FailedToParse, `unknown collation field '${field}'`);
  const { locale, strength = 3 } = raw;
  if (typeof locale !== 'string') throw new CommandError(ErrorCodes.BadValue, "Missing expected field 'locale'");
  if (locale === 'simple') {
    if (Object.keys(raw).length > 1) throw new CommandError(ErrorCodes.BadValue, "If 'locale' is set to 'simple', no other fields may be specified");
    return undefined;
  }
  if (!isKnownLocale(locale.replace(/@.*$/, '').replace(/_/g, '-'))) throw badField(raw, 'locale');
  if (strength !== 1 && strength !== 2 && strength !== 3) {
    if (strength === 4 || strength === 5)
      throw new CommandError(ErrorCodes.NotImplemented, `collation strength ${strength} is not supported by the embedded server (1 to 3 are)`);
    throw badField(raw, 'strength');
  }
  if (raw.alternate !== undefined && raw.alternate !== 'non-ignorable')
    throw new CommandError(ErrorCodes.NotImplemented, "collation 'alternate' other than 'non-ignorable' is not supported by the embedded server");
  if (raw.backwards === true) throw new CommandError(ErrorCodes.NotImplemented, "collation 'backwards' is not supported by the embedded server");
  if (raw.caseFirst !== undefined && !['upper', 'lower', 'off'].includes(raw.caseFirst as string)) throw badField(raw, 'caseFirst');
  return {
    locale: locale.replace(/@.*$/, '').replace(/_/g, '-'),
    strength,
    caseLevel: raw.caseLevel === true,
    caseFirst: raw.caseFirst as CollationSpec['caseFirst'],
    numericOrdering: raw.numericOrdering === true,
  };
}

const SENSITIVITY = { 1: 'base', 2: 'accent', 3: 'variant' } as const;
/** Whether Intl knows the locale; a malformed tag makes supportedLocalesOf throw instead of answering. */
function isKnownLocale(tag: string): boolean {
  try {
    return Intl.Collator.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}

const collators = new Map<string, Intl.Collator>();

/** The Intl.Collator for a collation (cached). */
export function collatorFor(spec: CollationSpec): Intl.Collator {
  const key = JSON.stringify(spec);
  let collator = collators.get(key);
  if (!collator) {
    let sensitivity: Intl.CollatorOptions['sensitivity'] = SENSITIVITY[spec.strength ?? 3];
    if (spec.caseLevel && sensitivity === 'base') sensitivity = 'case';
    collator = new Intl.Collator(spec.locale, {
      sensitivity,
      numeric: spec.numericOrdering === true,
      caseFirst: spec.caseFirst === 'off' || spec.caseFirst === undefined ? 'false' : spec.caseFirst,
    });
    collators.set(key, collator);
  }
  return collator;
}

type QueryOp = (selector: string, value: unknown, options: Options) => (doc: Doc) => boolean;
const original = queryOperators as unknown as Record<string, QueryOp>;

function strings(doc: Doc, selector: string): string[] {
  const found = resolve(doc, selector, { unwrapArray: true });
  const list = Array.isArray(found) ? found.flat() : [found];
  return list.filter((v): v is string => typeof v === 'string');
}

function collationOf(options: Options): CollationSpec | undefined {
  const c = options.collation;
  return c && typeof c.locale === 'string' ? c : undefined;
}

/** `$eq`/`$in`: mingo's test, or, under a collation, a string equal by the collator. */
function equality(op: '$eq' | '$in'): QueryOp {
  return (selector, value, options) => {
    const base = original[op]!(selector, value, options);
    const spec = collationOf(options);
    const wanted = (op === '$in' ? (Array.isArray(value) ? value : []) : [value]).filter((v): v is string => typeof v === 'string');
    if (!spec || wanted.length === 0) return base;
    const collator = collatorFor(spec);
    return (doc) => base(doc) || strings(doc, selector).some((s) => wanted.some((w) => collator.compare(s, w) === 0));
  };
}

function negation(op: '$eq' | '$in', fallback: '$ne' | '$nin'): QueryOp {
  const positive = equality(op);
  return (selector, value, options) => {
    if (!collationOf(options)) return original[fallback]!(selector, value, options);
    const test = positive(selector, value, options);
    return (doc) => !test(doc);
  };
}

function range(op: '$gt' | '$gte' | '$lt' | '$lte', holds: (c: number) => boolean): QueryOp {
  return (selector, value, options) => {
    if (value instanceof Binary) {
      // mingo compares BinData by its text form; MongoDB by length, subtype, then bytes.
      return (doc) => {
        const found = resolve(doc, selector, { unwrapArray: true });
        return (Array.isArray(found) ? found.flat() : [found]).some((v) => v instanceof Binary && holds(bsonCompare(v, value)));
      };
    }
    const spec = collationOf(options);
    if (!spec || typeof value !== 'string') return original[op]!(selector, value, options);
    const collator = collatorFor(spec);
    return (doc) => strings(doc, selector).some((s) => holds(collator.compare(s, value)));
  };
}

/** Query operators that honour a collation (and are mingo's own without one). */
export const collatedQueryOps: Record<string, QueryOp> = {
  $eq: equality('$eq'),
  $in: equality('$in'),
  $ne: negation('$eq', '$ne'),
  $nin: negation('$in', '$nin'),
  $gt: range('$gt', (c) => c > 0),
  $gte: range('$gte', (c) => c >= 0),
  $lt: range('$lt', (c) => c < 0),
  $lte: range('$lte', (c) => c <= 0),
};

const COLLATION_SAFE_STAGES = new Set([
  '$match',
  '$sort',
  '$project',
  '$limit',
  '$skip',
  '$count',
  '$addFields',
  '$set',
  '$unset',
  '$sample',
  '$replaceRoot',
  '$replaceWith',
  '$unwind',
]);

/** A `$group` of everything into counts (countDocuments), which no collation changes. */
function isCountingGroup(group: unknown): boolean {
  if (!isPlainObject(group)) return false;
  const { _id: id, ...accumulators } = group;
  const constant = id === null || typeof id === 'number' || (typeof id === 'string' && !id.startsWith('$'));
  return constant && Object.values(accumulators).every((a) => isPlainObject(a) && Object.keys(a).length === 1 && typeof a.$sum === 'number');
}

/** Refuses what a collation would silently not apply to: `$expr`, and stages that group or join. */
export function assertCollationApplies(spec: CollationSpec | undefined, filterOrPipeline: unknown, isPipeline = false): void {
  if (!spec) return;
  if (isPipeline && Array.isArray(filterOrPipeline)) {
    for (const stage of filterOrPipeline as Doc[]) {
      const name = Object.keys(stage)[0] ?? '';
      if (name === '$group' && isCountingGroup(stage.$group)) continue;
      if (!COLLATION_SAFE_STAGES.has(name))
        throw new CommandError(ErrorCodes.NotImplemented, `a collation with ${name} is not supported by the embedded server`);
    }
  }
  if (JSON.stringify(filterOrPipeline ?? {}).includes('"$expr"'))
    throw new CommandError(ErrorCodes.NotImplemented, 'a collation with $expr is not supported by the embedded server');
}
