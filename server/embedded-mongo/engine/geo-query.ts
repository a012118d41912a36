import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, valuesAtPath, type Doc } from '../documents.ts';
import type { Collection } from './collection.ts';
import {
  EARTH_RADIUS_M,
  geometriesAt,
  inFlatPolygon,
  isGeoJSONLike,
  legacyPair,
  parseGeoJSON,
  pointToGeometry,
  SphereRegion,
  verticesOf,
  type Geometry,
  type Pair,
} from './geo-shapes.ts';
import { flatDistance, sphereDistance } from './geo-sphere.ts';
import { checkTime } from './time-budget.ts';

/**
 * The geo query operators as mongod answers them, by scanning (geo-shapes.ts does the
 * geometry): `$geoWithin`/`$within` and `$geoIntersects` as mingo query operators, and
 * `$near`/`$nearSphere` and the `$geoNear` stage, which order documents by distance and so
 * need a geo index on the field, as mongod's planner does (291 without one).
 */

const bad = (message: string): CommandError => new CommandError(ErrorCodes.BadValue, message);

function geometryOperand(value: unknown, op: string): Geometry {
  if (!isGeoJSONLike(value)) throw bad(`${op} $geometry must be a GeoJSON object: ${JSON.stringify(value)}`);
  // MongoDB's strict-winding CRS (a polygon bigger than a hemisphere) changes which side is inside.
  if ('crs' in value && JSON.stringify(value.crs).includes('strictwinding'))
    throw new CommandError(ErrorCodes.NotImplemented, `${op} with a custom crs (big polygons) is not supported by the embedded server`);
  try {
    return parseGeoJSON(value);
  } catch (err) {
    if (err instanceof CommandError) throw err;
    throw bad(`${op} Invalid GeoJSON: ${(err as Error).message}`);
  }
}

function radius(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw bad(`${what} radius must be a non-negative number`);
  return value;
}

type GeoTest = (g: Geometry) => boolean;

/** The test a `$geoWithin` operand makes of each stored geometry. */
function withinTest(operand: unknown): GeoTest {
  if (!isPlainObject(operand) || Object.keys(operand).length !== 1) throw bad(`$geoWithin must be an object with one shape: ${JSON.stringify(operand)}`);
  const [shape, arg] = Object.entries(operand)[0]!;
  switch (shape) {
    case '$geometry': {
      const g = geometryOperand(arg, '$geoWithin');
      if (g.polygons.length === 0 || g.points.length || g.lines.length)
        throw bad(`$geoWithin not supported with provided geometry: ${JSON.stringify(operand)}`);
      const region = new SphereRegion(g);
      return (stored) => region.contains(stored);
    }
    case '$centerSphere': {
      const center = Array.isArray(arg) ? legacyPair(arg[0], true) : undefined;
      if (!Array.isArray(arg) || arg.length !== 2 || !center) throw bad(`malformed query, invalid $centerSphere: ${JSON.stringify(arg)}`);
      const r = radius(arg[1], '$centerSphere');
      return (stored) => verticesOf(stored).every((p) => sphereDistance(center, p) <= r);
    }
    case '$center': {
      const center = Array.isArray(arg) ? legacyPair(arg[0], true) : undefined;
      if (!Array.isArray(arg) || arg.length !== 2 || !center) throw bad(`malformed query, invalid $center: ${JSON.stringify(arg)}`);
      const r = radius(arg[1], '$center');
      // Flat shapes hold legacy points only: a GeoJSON point is on the sphere (geo_matcher.cpp).
      return (stored) => stored.crs === 'flat' && stored.points.every((p) => flatDistance(center, p) <= r);
    }
    case '$box': {
      const a = Array.isArray(arg) ? legacyPair(arg[0], true) : undefined;
      const b = Array.isArray(arg) ? legacyPair(arg[1], true) : undefined;
      if (!Array.isArray(arg) || arg.length !== 2 || !a || !b) throw bad(`malformed query, invalid $box: ${JSON.stringify(arg)}`);
      const [x1, x2] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])];
      const [y1, y2] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])];
      return (stored) => stored.crs === 'flat' && stored.points.every(([x, y]) => x >= x1 && x <= x2 && y >= y1 && y <= y2);
    }
    case '$polygon': {
      const ring = Array.isArray(arg) ? arg.map((p) => legacyPair(p, true)) : [];
      if (ring.length < 3 || ring.some((p) => !p)) throw bad('Polygon must have at least 3 points');
      return (stored) => stored.crs === 'flat' && stored.points.every((p) => inFlatPolygon(p, ring as Pair[]));
    }
    default:
      throw bad(`unknown geo specifier: ${shape}: ${JSON.stringify(arg)}`);
  }
}

function intersectsTest(operand: unknown): GeoTest {
  if (!isPlainObject(operand) || !('$geometry' in operand)) throw bad(`$geoIntersects must be given a $geometry: ${JSON.stringify(operand)}`);
  const region = new SphereRegion(geometryOperand(operand.$geometry, '$geoIntersects'));
  return (stored) => region.intersects(stored);
}

type QueryOp = (selector: string, value: unknown) => (doc: Doc) => boolean;

function geoOp(makeTest: (operand: unknown) => GeoTest): QueryOp {
  return (selector, value) => {
    const test = makeTest(value);
    return (doc) => geometriesAt(valuesAtPath(doc, selector)).some(({ geometry }) => test(geometry));
  };
}

/** `$geoWithin` (and its old name `$within`) and `$geoIntersects` for mingo's query operators. */
export const geoQueryOps: Record<string, QueryOp> = {
  $geoWithin: geoOp(withinTest),
  $within: geoOp(withinTest),
  $geoIntersects: geoOp(intersectsTest),
};

// ---- $near, $nearSphere, $geoNear ----

/** What a near search measures: from where, on the sphere or the plane, and in which unit. */
export interface NearSpec {
  field: string;
  point: Pair;
  /** meters (a GeoJSON point), radians (a legacy pair on the sphere) or flat units. */
  unit: 'meters' | 'radians' | 'flat';
  min: number;
  max: number;
}

function distanceOption(value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw bad(`${name} must be a number`);
  if (value < 0) throw bad(`${name} must be non-negative`);
  return value;
}

const NEAR_OPERATORS = new Set(['$near', '$nearSphere', '$geoNear']);

/** Whether a field condition is a near search (`{ $near: ... }`). */
function isNearCondition(value: unknown): value is Doc {
  return isPlainObject(value) && Object.keys(value).some((k) => NEAR_OPERATORS.has(k));
}

/** The geo indexes on a field, by type. */
function geoIndexTypes(coll: Collection | undefined, field: string): Set<string> {
  const types = new Set<string>();
  for (const index of coll?.indexes ?? []) {
    if (index.spec.hidden === true) continue;
    const type = (index.spec.key as Doc)[field];
    if (type === '2d' || type === '2dsphere') types.add(type);
  }
  return types;
}

function noIndex(ns: string): CommandError {
  return new CommandError(291, `error processing query: ns=${ns} planner returned error :: caused by :: unable to find index for $geoNear query`);
}

/** A near point: GeoJSON (on the sphere, in meters) or a legacy pair. */
function nearPoint(value: unknown, what: string): { point: Pair; geojson: boolean } {
  if (isGeoJSONLike(value)) {
    if (value.type !== 'Point') throw bad(`${what} must be a GeoJSON Point: ${JSON.stringify(value)}`);
    try {
      return { point: parseGeoJSON(value).points[0]!, geojson: true };
    } catch (err) {
      throw bad(`invalid point in ${what}: ${(err as Error).message}`);
    }
  }
  const pair = legacyPair(value, true);
  if (!pair) throw bad(`invalid point in ${what}: ${JSON.stringify(value)}`);
  return { point: pair, geojson: false };
}

/** Parses `{ field: { $near | $nearSphere: ..., $maxDistance, $minDistance } }` and checks the index it needs. */
function parseNear(field: string, condition: Doc, coll: Collection | undefined, ns: string): NearSpec {
  const op = Object.keys(condition).find((k) => NEAR_OPERATORS.has(k))!;
  const sphere = op === '$nearSphere';
  let min = 0;
  let max = Infinity;
  for (const [key, value] of Object.entries(condition)) {
    if (key === op) continue;
    if (key === '$maxDistance') max = distanceOption(value, '$maxDistance');
    else if (key === '$minDistance') min = distanceOption(value, '$minDistance');
    else if (NEAR_OPERATORS.has(key)) throw bad('Too many geoNear expressions');
    else throw new CommandError(ErrorCodes.NotImplemented, `${key} beside ${op} in one condition is not supported by the embedded server`);
  }
  let target = condition[op];
  if (isPlainObject(target) && '$geometry' in target) {
    for (const [key, value] of Object.entries(target)) {
      if (key === '$maxDistance') max = distanceOption(value, '$maxDistance');
      else if (key === '$minDistance') min = distanceOption(value, '$minDistance');
      else if (key !== '$geometry') throw bad(`invalid argument in geo near query: ${key}`);
    }
    target = target.$geometry;
  }
  const { point, geojson } = nearPoint(target, op);
  // On a collection that does not exist mongod has nothing to plan and answers no documents.
  const types = coll ? geoIndexTypes(coll, field) : new Set(['2d', '2dsphere']);
  if (geojson) {
    if (!types.has('2dsphere')) throw noIndex(ns);
    return { field, point, unit: 'meters', min, max };
  }
  if (types.size === 0) throw noIndex(ns);
  // A legacy pair: flat with a 2d index ($near), else on the sphere with distances in radians.
  return { field, point, unit: !sphere && types.has('2d') ? 'flat' : 'radians', min, max };
}

function mentionsNear(expr: unknown): boolean {
  if (Array.isArray(expr)) return expr.some(mentionsNear);
  if (!isPlainObject(expr)) return false;
  return Object.entries(expr).some(([k, v]) => NEAR_OPERATORS.has(k) || mentionsNear(v));
}

/**
 * A find filter's `$near`/`$nearSphere` and the rest of it. Only a top-level field may hold
 * one, as mongod requires (2 "geoNear must be top-level expr"); there may be one only.
 */
export function splitNearFilter(filter: Doc | undefined, coll: Collection | undefined, ns: string): { near: NearSpec | undefined; rest: Doc | undefined } {
  if (!filter || !mentionsNear(filter)) return { near: undefined, rest: filter };
  let near: NearSpec | undefined;
  // A top-level `$and`'s clauses are top-level too (mongod flattens it), one level down.
  const split = (doc: Doc, inAnd: boolean): Doc => {
    const rest: Doc = {};
    for (const [key, value] of Object.entries(doc)) {
      if (!key.startsWith('$') && isNearCondition(value)) {
        if (near) throw bad('Too many geoNear expressions');
        near = parseNear(key, value, coll, ns);
      } else if (!mentionsNear(value)) rest[key] = value;
      else if (key === '$and' && !inAnd && Array.isArray(value)) rest[key] = value.map((clause) => (isPlainObject(clause) ? split(clause, true) : clause));
      else throw bad('geoNear must be top-level expr');
    }
    return rest;
  };
  const rest = split(filter, false);
  return { near, rest };
}

/** The distance from a point to a stored geometry in the near search's unit, or undefined. */
function distanceTo(g: Geometry, near: NearSpec): number | undefined {
  if (near.unit === 'flat') {
    if (g.crs !== 'flat') return undefined;
    return Math.min(...g.points.map((p) => flatDistance(near.point, p)));
  }
  const radians = pointToGeometry(near.point, g);
  return near.unit === 'meters' ? radians * EARTH_RADIUS_M : radians;
}

export interface NearHit {
  doc: Doc;
  distance: number;
  /** The stored location nearest to the point (for `includeLocs`). */
  location: unknown;
}

/** Documents (already filtered) ordered by distance, nearest first, within [min, max]. */
export function orderByNear(docs: Iterable<Doc>, near: NearSpec): NearHit[] {
  const hits: NearHit[] = [];
  for (const doc of docs) {
    checkTime();
    let best: NearHit | undefined;
    for (const { value, geometry } of geometriesAt(valuesAtPath(doc, near.field))) {
      const d = distanceTo(geometry, near);
      if (d !== undefined && (!best || d < best.distance)) best = { doc, distance: d, location: value };
    }
    if (best && best.distance >= near.min && best.distance <= near.max) hits.push(best);
  }
  // Array.prototype.sort is stable: equal distances keep natural order.
  return hits.sort((a, b) => a.distance - b.distance);
}

const GEO_NEAR_OPTIONS = new Set(['near', 'distanceField', 'spherical', 'maxDistance', 'minDistance', 'query', 'key', 'distanceMultiplier', 'includeLocs']);

export interface GeoNearStage {
  near: NearSpec;
  distanceField: string;
  multiplier: number;
  includeLocs: string | undefined;
  query: Doc | undefined;
}

/** The geo index `$geoNear` uses without `key`, as mongod picks it (a 2d first, else the one 2dsphere). */
function defaultGeoKey(coll: Collection, ns: string): string {
  for (const type of ['2d', '2dsphere']) {
    const found = coll.indexes.filter((i) => Object.values(i.spec.key as Doc).includes(type));
    if (found.length > 1) throw new CommandError(ErrorCodes.IndexNotFound, `There is more than one ${type} index on ${ns}; unsure which to use for $geoNear`);
    if (found.length === 1) return Object.entries(found[0]!.spec.key as Doc).find(([, t]) => t === type)![0];
  }
  throw new CommandError(ErrorCodes.IndexNotFound, '$geoNear requires a 2d or 2dsphere index, but none were found');
}

/** Parses a `$geoNear` stage's options against the collection's geo indexes. */
export function parseGeoNear(spec: unknown, coll: Collection, ns: string): GeoNearStage {
  if (!isPlainObject(spec)) throw bad('$geoNear must take an object as an argument');
  for (const key of Object.keys(spec)) if (!GEO_NEAR_OPTIONS.has(key)) throw bad(`Unknown argument to $geoNear: ${key}`);
  if (spec.near === undefined) throw bad("$geoNear requires a 'near' option");
  if (typeof spec.distanceField !== 'string') throw bad("$geoNear requires a 'distanceField' option as a String");
  if (spec.spherical !== undefined && typeof spec.spherical !== 'boolean') throw bad('spherical must be a boolean');
  if (spec.key !== undefined && (typeof spec.key !== 'string' || spec.key === '')) throw bad("$geoNear parameter 'key' must be a non-empty string");
  if (spec.query !== undefined && !isPlainObject(spec.query)) throw bad('query must be an object');
  if (spec.includeLocs !== undefined && typeof spec.includeLocs !== 'string') throw bad('includeLocs must be a string');
  const multiplier = spec.distanceMultiplier === undefined ? 1 : distanceOption(spec.distanceMultiplier, 'distanceMultiplier');
  const { point, geojson } = nearPoint(spec.near, '$geoNear');
  const field = typeof spec.key === 'string' ? spec.key : defaultGeoKey(coll, ns);
  const types = geoIndexTypes(coll, field);
  let unit: NearSpec['unit'];
  if (geojson) {
    if (!types.has('2dsphere')) throw noIndex(ns);
    unit = 'meters';
  } else if (spec.spherical === true) {
    if (types.size === 0) throw noIndex(ns);
    unit = 'radians';
  } else {
    if (!types.has('2d')) throw noIndex(ns);
    unit = 'flat';
  }
  const min = spec.minDistance === undefined ? 0 : distanceOption(spec.minDistance, 'minDistance');
  const max = spec.maxDistance === undefined ? Infinity : distanceOption(spec.maxDistance, 'maxDistance');
  return {
    near: { field, point, unit, min, max },
    distanceField: spec.distanceField,
    multiplier,
    includeLocs: spec.includeLocs as string | undefined,
    query: spec.query as Doc | undefined,
  };
}

/** A `$geoNear` stage anywhere but first is mongod's 40603. */
export function assertGeoNearFirst(pipeline: Doc[]): void {
  pipeline.forEach((stage, i) => {
    if (i > 0 && isPlainObject(stage) && '$geoNear' in stage) {
      throw new CommandError(40603, '$geoNear was not the first stage in the pipeline after optimization. Is optimization disabled or inhibited?');
    }
  });
}
