import { CommandError, ErrorCodes } from '../errors.ts';
import { bsonTypeName } from '../bson-types.ts';
import { isPlainObject, type Doc } from '../documents.ts';
import { valueKey } from '../value-key.ts';

/**
 * MongoDB's `$jsonSchema` (draft 4 with `bsonType`), the keywords applications use. A schema
 * with any other keyword is refused when the validator is set, never half-applied.
 */
const KEYWORDS = new Set([
  'bsonType',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'enum',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'title',
  'description',
  'multipleOf',
  'dependencies',
]);
const JSON_TYPES: Record<string, string[]> = {
  object: ['object'],
  array: ['array'],
  string: ['string'],
  boolean: ['bool'],
  null: ['null'],
  number: ['int', 'long', 'double', 'decimal'],
};

/** Refuses a schema the validator below does not fully implement (code 9 for unknown keywords, as mongod). */
export function assertSchemaSupported(schema: unknown, path = '$jsonSchema'): void {
  if (!isPlainObject(schema)) throw new CommandError(ErrorCodes.TypeMismatch, `${path} must be an object`);
  for (const [key, value] of Object.entries(schema)) {
    if (!KEYWORDS.has(key)) throw new CommandError(ErrorCodes.FailedToParse, `Unknown $jsonSchema keyword: ${key}`);
    if (key === 'type' && (Array.isArray(value) ? value : [value]).includes('integer'))
      throw new CommandError(ErrorCodes.FailedToParse, "$jsonSchema type 'integer' is not supported; use bsonType 'int' or 'long'");
    if (key === 'properties' || key === 'patternProperties') for (const [p, sub] of Object.entries(value as Doc)) assertSchemaSupported(sub, `${path}.${p}`);
    if (key === 'items') for (const sub of Array.isArray(value) ? value : [value]) assertSchemaSupported(sub, `${path}.items`);
    if ((key === 'additionalProperties' || key === 'not') && isPlainObject(value)) assertSchemaSupported(value, `${path}.${key}`);
    if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') for (const sub of value as unknown[]) assertSchemaSupported(sub, `${path}.${key}`);
  }
}

function typeMatches(value: unknown, names: unknown, json: boolean): boolean {
  const actual = bsonTypeName(value);
  return (Array.isArray(names) ? names : [names]).some((n) => {
    if (json) return (JSON_TYPES[n as string] ?? []).includes(actual);
    return n === actual || (n === 'number' && ['int', 'long', 'double', 'decimal'].includes(actual));
  });
}

/** Whether a value satisfies a schema. */
export function schemaAccepts(schema: Doc, value: unknown): boolean {
  const s = schema;
  if (s.bsonType !== undefined && !typeMatches(value, s.bsonType, false)) return false;
  if (s.type !== undefined && !typeMatches(value, s.type, true)) return false;
  if (Array.isArray(s.enum) && !s.enum.some((e) => valueKey(e) === valueKey(value))) return false;
  if (Array.isArray(s.allOf) && !s.allOf.every((sub) => schemaAccepts(sub as Doc, value))) return false;
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => schemaAccepts(sub as Doc, value))) return false;
  if (Array.isArray(s.oneOf) && s.oneOf.filter((sub) => schemaAccepts(sub as Doc, value)).length !== 1) return false;
  if (isPlainObject(s.not) && schemaAccepts(s.not, value)) return false;
  if (typeMatches(value, 'number', false)) {
    const n = Number(value);
    if (typeof s.minimum === 'number' && (s.exclusiveMinimum === true ? n <= s.minimum : n < s.minimum)) return false;
    if (typeof s.maximum === 'number' && (s.exclusiveMaximum === true ? n >= s.maximum : n > s.maximum)) return false;
    if (typeof s.multipleOf === 'number' && n % s.multipleOf !== 0) return false;
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) return false;
    if (typeof s.maxLength === 'number' && length > s.maxLength) return false;
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) return false;
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) return false;
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) return false;
    if (s.uniqueItems === true && new Set(value.map(valueKey)).size !== value.length) return false;
    if (isPlainObject(s.items) && !value.every((v) => schemaAccepts(s.items as Doc, v))) return false;
    if (Array.isArray(s.items) && !s.items.every((sub, i) => i >= value.length || schemaAccepts(sub as Doc, value[i]))) return false;
  }
  if (isPlainObject(value)) return objectAccepts(s, value);
  return true;
}

function objectAccepts(s: Doc, value: Doc): boolean {
  const keys = Object.keys(value);
  if (Array.isArray(s.required) && !s.required.every((k) => typeof k === 'string' && k in value)) return false;
  if (typeof s.minProperties === 'number' && keys.length < s.minProperties) return false;
  if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) return false;
  const props = isPlainObject(s.properties) ? s.properties : {};
  const patterns = isPlainObject(s.patternProperties) ? Object.entries(s.patternProperties).map(([p, sub]) => [new RegExp(p, 'u'), sub as Doc] as const) : [];
  for (const key of keys) {
    const sub = props[key];
    const byPattern = patterns.filter(([re]) => re.test(key));
    if (isPlainObject(sub) && !schemaAccepts(sub, value[key])) return false;
    for (const [, schema] of byPattern) if (!schemaAccepts(schema, value[key])) return false;
    if (sub === undefined && byPattern.length === 0) {
      if (s.additionalProperties === false) return false;
      if (isPlainObject(s.additionalProperties) && !schemaAccepts(s.additionalProperties, value[key])) return false;
    }
  }
  if (isPlainObject(s.dependencies)) {
    for (const [key, dep] of Object.entries(s.dependencies)) {
      if (!(key in value)) continue;
      if (Array.isArray(dep) && !dep.every((d) => typeof d === 'string' && d in value)) return false;
      if (isPlainObject(dep) && !schemaAccepts(dep, value)) return false;
    }
  }
  return true;
}

/** `$jsonSchema` in a query, for mingo's jsonSchemaValidator option. */
export function schemaValidator(schema: Doc): (doc: Doc) => boolean {
  assertSchemaSupported(schema);
  return (doc) => schemaAccepts(schema, doc);
}
