import { calculateObjectSize } from 'bson';
import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, type Doc } from '../documents.ts';
import { parseCollation } from './collation.ts';
import type { Collection } from './collection.ts';
import { assertSchemaSupported, schemaAccepts } from './json-schema.ts';
import { Query } from './mingo.ts';
import type { WriteTx } from './write-tx.ts';

const REQUEST_FIELDS = new Set([
  'lsid',
  'txnNumber',
  'writeConcern',
  'comment',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  '$db',
  '$readPreference',
  '$clusterTime',
]);
const UNSUPPORTED = new Set(['viewOn', 'pipeline', 'timeseries', 'clusteredIndex', 'expireAfterSeconds', 'changeStreamPreAndPostImages', 'encryptedFields']);
const ACCEPTED = new Set([
  'capped',
  'size',
  'max',
  'validator',
  'validationLevel',
  'validationAction',
  'collation',
  'storageEngine',
  'indexOptionDefaults',
  'autoIndexId',
  'flags',
  'idIndex',
]);

function typeError(field: string, expected: string): CommandError {
  return new CommandError(ErrorCodes.TypeMismatch, `BSON field 'create.${field}' is the wrong type, expected type '${expected}'`);
}

/** Checks a validator and its level and action as mongod does when they are set. */
export function checkValidation(options: Doc): void {
  if (options.validator !== undefined) {
    if (!isPlainObject(options.validator)) throw typeError('validator', 'object');
    const { $jsonSchema, ...rest } = options.validator;
    if ($jsonSchema !== undefined) assertSchemaSupported($jsonSchema);
    if (JSON.stringify(rest).match(/"\$(where|function|accumulator|text|near|nearSphere|expr)"/)) {
      throw new CommandError(ErrorCodes.NotImplemented, 'this validator operator is not supported by the embedded server');
    }
    new Query(rest); // throws on a bad query operator now, not at the first insert
  }
  if (options.validationLevel !== undefined && !['off', 'strict', 'moderate'].includes(options.validationLevel as string)) {
    throw new CommandError(ErrorCodes.BadValue, `Enumeration value '${String(options.validationLevel)}' for field 'validationLevel' is not a valid value.`);
  }
  if (options.validationAction !== undefined && !['error', 'warn', 'errorAndLog'].includes(options.validationAction as string)) {
    throw new CommandError(ErrorCodes.BadValue, `Enumeration value '${String(options.validationAction)}' for field 'validationAction' is not a valid value.`);
  }
}

/** The collection options of a create command, checked as mongod checks them. */
export function createOptions(cmd: Doc): Doc {
  const options: Doc = {};
  for (const [key, value] of Object.entries(cmd)) {
    if (key === 'create' || REQUEST_FIELDS.has(key)) continue;
    if (UNSUPPORTED.has(key)) throw new CommandError(ErrorCodes.NotImplemented, `create with '${key}' is not supported by the embedded server`);
    if (!ACCEPTED.has(key)) throw new CommandError(40415, `BSON field 'create.${key}' is an unknown field.`);
    options[key] = value;
  }
  if (options.capped !== undefined && typeof options.capped !== 'boolean') throw typeError('capped', 'bool');
  for (const field of ['size', 'max'] as const) {
    if (options[field] !== undefined && (typeof options[field] !== 'number' || !Number.isFinite(options[field]))) throw typeError(field, 'long');
  }
  if (options.capped === true) {
    if (options.size === undefined) throw new CommandError(ErrorCodes.InvalidOptions, "the 'size' field is required when 'capped' is true");
    if ((options.size as number) < 0) throw new CommandError(ErrorCodes.BadValue, 'size has to be >= 0');
  } else if (options.size !== undefined || options.max !== undefined) {
    // mongod ignores size and max on an uncapped collection; keep them out of the catalog.
    delete options.size;
    delete options.max;
  }
  if (parseCollation(options.collation))
    throw new CommandError(
      ErrorCodes.NotImplemented,
      'a default collation for a collection is not supported by the embedded server (pass collation per operation)',
    );
  checkValidation(options);
  return options;
}

const validators = new WeakMap<Doc, (doc: Doc) => boolean>();

function validatorFor(options: Doc): (doc: Doc) => boolean {
  const spec = options.validator as Doc;
  let test = validators.get(spec);
  if (!test) {
    const { $jsonSchema, ...rest } = spec;
    const query = Object.keys(rest).length ? new Query(rest) : undefined;
    test = (doc) => (!isPlainObject($jsonSchema) || schemaAccepts($jsonSchema, doc)) && (!query || query.test(doc));
    validators.set(spec, test);
  }
  return test;
}

/**
 * Refuses a document the collection's validator rejects (code 121), as mongod does with
 * validationAction 'error'; 'moderate' skips updates of documents that were already invalid.
 */
export function assertValid(coll: Collection, doc: Doc, previous: Doc | undefined): void {
  const options = coll.options;
  if (!isPlainObject(options.validator) || options.validationLevel === 'off' || options.validationAction === 'warn') return;
  const test = validatorFor(options);
  if (test(doc)) return;
  if (options.validationLevel === 'moderate' && previous && !test(previous)) return;
  throw new CommandError(ErrorCodes.DocumentValidationFailure, 'Document failed validation', {
    errInfo: { failingDocumentId: doc._id, details: { operatorName: '$jsonSchema' in (options.validator as Doc) ? '$jsonSchema' : '$and' } },
  });
}

/** A capped collection's cap in bytes as mongod rounds it: at least 4096, a multiple of 256. */
function cappedBytes(size: number): number {
  return size <= 4096 ? 4096 : Math.ceil(size / 256) * 256;
}

/** Removes the oldest documents of a capped collection until it fits its `max` and `size`. */
export function enforceCap(tx: WriteTx, coll: Collection): void {
  if (coll.options.capped !== true) return;
  const live = [...tx.matching(coll, { test: () => true }, undefined)];
  const max = typeof coll.options.max === 'number' && coll.options.max > 0 ? coll.options.max : Infinity;
  const bytes = cappedBytes(coll.options.size as number);
  let total = live.reduce((n, d) => n + calculateObjectSize(d), 0);
  let count = live.length;
  for (const doc of live) {
    if (count <= max && total <= bytes) break;
    tx.deleteDoc(coll, doc);
    count--;
    total -= calculateObjectSize(doc);
  }
}
