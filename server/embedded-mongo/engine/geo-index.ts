import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, valuesAtPath, type Doc } from '../documents.ts';
import { isGeoJSONLike, legacyPair, parseGeoJSON } from './geo-shapes.ts';

/**
 * What a 2d or 2dsphere index keeps: its spec (normalized as mongod stores it) and the check
 * of each written document, which mongod makes when it extracts the geo keys. There is no geo
 * key structure: the geo operators scan (geo-query.ts).
 */

const GEO_TYPES = new Set(['2d', '2dsphere']);

/** The index's geo field and type, or undefined for an index with no geo key. */
export function geoKeyOf(key: Doc): { field: string; type: '2d' | '2dsphere' } | undefined {
  const geo = Object.entries(key).filter(([, t]) => typeof t === 'string' && GEO_TYPES.has(t));
  if (geo.length === 0) return undefined;
  if (geo.length > 1) throw new CommandError(16800, "can't have 2 geo fields");
  const [field, type] = geo[0]! as [string, '2d' | '2dsphere'];
  for (const [other, dir] of Object.entries(key)) {
    if (other !== field && dir !== 1 && dir !== -1)
      throw new CommandError(ErrorCodes.NotImplemented, `a geo index with a '${String(dir)}' key beside it is not supported by the embedded server`);
  }
  if (type === '2d' && Object.keys(key)[0] !== field) throw new CommandError(16801, '2d has to be first in index');
  return { field, type };
}

const UNSUPPORTED_GEO_OPTIONS = ['unique', 'expireAfterSeconds', 'collation'];

/** The spec as mongod stores it: a 2dsphere index gets `2dsphereIndexVersion: 3`; 2d's bits/min/max are checked. */
export function normalizeGeoSpec(spec: Doc, type: '2d' | '2dsphere'): Doc {
  const option = UNSUPPORTED_GEO_OPTIONS.find((o) => spec[o] !== undefined && spec[o] !== false);
  if (option) throw new CommandError(ErrorCodes.NotImplemented, `${type} indexes with '${option}' are not supported by the embedded server`);
  if (type === '2dsphere') {
    const version = spec['2dsphereIndexVersion'] ?? 3;
    if (version !== 3)
      throw new CommandError(ErrorCodes.NotImplemented, `2dsphereIndexVersion ${String(version)} is not supported by the embedded server (version 3 is)`);
    return { ...spec, '2dsphereIndexVersion': 3 };
  }
  const bits = spec.bits ?? 26;
  if (typeof bits !== 'number' || !Number.isInteger(bits) || bits < 1 || bits > 32)
    throw new CommandError(ErrorCodes.InvalidOptions, 'bits in geo index must be between 1 and 32');
  const min = spec.min ?? -180;
  const max = spec.max ?? 180;
  if (typeof min !== 'number' || typeof max !== 'number' || !(min < max)) throw new CommandError(ErrorCodes.InvalidOptions, 'max must be greater than min');
  return spec;
}

function show(doc: Doc): string {
  return JSON.stringify(doc);
}

/** The geo part of an index: checks documents as mongod's key extraction does. */
export class GeoIndexSpec {
  readonly field: string;
  readonly type: '2d' | '2dsphere';
  private readonly min: number;
  private readonly max: number;

  constructor(spec: Doc, field: string, type: '2d' | '2dsphere') {
    this.field = field;
    this.type = type;
    this.min = typeof spec.min === 'number' ? spec.min : -180;
    this.max = typeof spec.max === 'number' ? spec.max : 180;
  }

  /** Throws mongod's error for a document whose geo field cannot be indexed. */
  check(doc: Doc): void {
    for (const value of valuesAtPath(doc, this.field)) {
      if (this.type === '2dsphere') this.checkSphere(doc, value);
      else this.checkFlat(doc, value);
    }
  }

  private checkSphere(doc: Doc, value: unknown): void {
    // Missing and null are not indexed (2dsphere version 2+ is sparse); arrays hold several geometries.
    if (value === null) return;
    const items = Array.isArray(value) && !legacyPair(value) ? value : [value];
    for (const item of items) {
      const reason = sphereProblem(item);
      if (reason) throw new CommandError(16755, `Can't extract geo keys: ${show(doc)}  ${reason}`);
    }
  }

  private checkFlat(doc: Doc, value: unknown): void {
    // A 2d index reads objects and arrays only; other values are not indexed.
    if (!isPlainObject(value) && !Array.isArray(value)) return;
    if (Array.isArray(value) && value.length === 0) return;
    const pairs = legacyPair(value) ? [value] : Array.isArray(value) ? value : [value];
    for (const item of pairs) {
      if (isPlainObject(item) && Object.keys(item).length === 0) continue;
      const pair = legacyPair(item);
      if (!pair) throw new CommandError(16804, 'location object expected, location array not in correct format');
      for (const c of pair) {
        if (c < this.min || c >= this.max) throw new CommandError(13027, `point not in interval of [ ${this.min}, ${this.max} ) :: caused by :: ${show(doc)}`);
      }
    }
  }
}

/** Why a value is not a geometry a 2dsphere index takes, or undefined when it is one. */
function sphereProblem(value: unknown): string | undefined {
  if (isGeoJSONLike(value)) {
    try {
      parseGeoJSON(value);
      return undefined;
    } catch (err) {
      if (err instanceof CommandError) throw err;
      return (err as Error).message;
    }
  }
  if (!isPlainObject(value) && !Array.isArray(value)) return `Point must be an array or object, instead got type ${typeName(value)}`;
  const pair = legacyPair(value);
  if (!pair) return 'Point must only contain numeric elements';
  const [lng, lat] = pair;
  if (lng < -180 || lng > 180 || lat < -90 || lat > 90) return `longitude/latitude is out of bounds, lng: ${lng} lat: ${lat}`;
  return undefined;
}

function typeName(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'double';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}
