import { CommandError } from '../errors.ts';
import { isPlainObject } from '../documents.ts';
import {
  RAD,
  type SpherePolygon,
  type Vec,
  anyEdgesCross,
  arcsIntersect,
  cross,
  dot,
  edgesOf,
  inPlanarRing,
  inSpherePolygon,
  norm,
  onArc,
  prepare,
  samePoint,
  scale,
  sphereDistance,
  toVec,
} from './geo-sphere.ts';

/**
 * Geometry for the geo operators (geo-query.ts), written for this server: GeoJSON and legacy
 * coordinate pairs parsed as mongod parses them (geoparser.cpp), and the tests S2 makes on a
 * sphere (geodesic edges: great-circle arcs between vertices) or, for the legacy shapes, in the
 * plane. Every test is a full computation per document; there is no geo index structure.
 */

/** mongod's kRadiusOfEarthInMeters: distances on the sphere in meters are radians times this. */
export const EARTH_RADIUS_M = 6378100;

export type Pair = [number, number];

/** A parsed geometry as a union of parts (Multi* and GeometryCollection are unions too). */
export interface Geometry {
  /** GeoJSON (spherical) or a legacy pair (flat, usable on the sphere too). */
  crs: 'sphere' | 'flat';
  points: Pair[];
  lines: Pair[][];
  /** Each polygon: shell first, then holes; rings closed (last vertex = first). */
  polygons: Pair[][][];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A legacy coordinate pair: `[x, y]` or `{ x, y }` (the first two values of an object), or
 * undefined. A stored one may have more elements; one in a query may not (parseFlatPoint).
 */
export function legacyPair(value: unknown, query = false): Pair | undefined {
  const vals = Array.isArray(value) ? value : isPlainObject(value) && !('type' in value) ? Object.values(value) : undefined;
  if (!vals || vals.length < 2 || (query && vals.length > 2)) return undefined;
  return isNum(vals[0]) && isNum(vals[1]) ? [vals[0], vals[1]] : undefined;
}

function geoError(message: string): Error {
  return new Error(message);
}

function typeOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** A GeoJSON position (geoparser.cpp: extra elements such as altitude are allowed and ignored). */
function parsePosition(value: unknown, point = false): Pair {
  if (!Array.isArray(value))
    throw geoError(
      point ? `Point must be an array or object, instead got type ${typeOf(value)}` : `GeoJSON coordinates must be an array, instead got type ${typeOf(value)}`,
    );
  for (const c of value.slice(0, 2)) if (typeof c !== 'number') throw geoError(`Point must only contain numeric elements, instead got type ${typeOf(c)}`);
  if (value.length < 2) throw geoError('Point must only contain numeric elements, instead got type missing');
  const [lng, lat] = value as [number, number];
  if (!isNum(lng) || !isNum(lat)) throw geoError('Point coordinates must be finite numbers');
  if (lng < -180 || lng > 180 || lat < -90 || lat > 90) throw geoError(`longitude/latitude is out of bounds, lng: ${lng} lat: ${lat}`);
  return [lng, lat];
}

function parsePositions(value: unknown): Pair[] {
  if (!Array.isArray(value)) throw geoError(`GeoJSON coordinates must be an array of coordinates, instead got type ${typeOf(value)}`);
  const out: Pair[] = [];
  for (const p of value.map((v) => parsePosition(v))) {
    // mongod erases repeated adjacent vertices before validating (eraseDuplicatePoints).
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

function parseRing(value: unknown, shell: SpherePolygon | undefined): Pair[] {
  const text = JSON.stringify(value);
  const ring = parsePositions(value);
  if (ring.length === 0) throw geoError(`Loop has no vertices: ${text}`);
  const [first, last] = [ring[0]!, ring[ring.length - 1]!];
  if (first[0] !== last[0] || first[1] !== last[1]) throw geoError(`Loop is not closed: ${text}`);
  if (ring.length < 4) throw geoError(`Loop must have at least 3 different vertices: ${text}`);
  const seen = new Set<string>();
  for (const p of ring.slice(1)) {
    const key = `${p[0]},${p[1]}`;
    if (seen.has(key)) throw geoError(`Loop is not valid: ${text} Duplicate vertices`);
    seen.add(key);
  }
  assertSimple(ring, text);
  if (shell && !ring.every((p) => inSpherePolygon(p, shell) || onRing(p, shell))) {
    throw geoError(`Secondary loops not contained by first exterior loop - secondary loops must be holes: ${text}`);
  }
  return ring;
}

function onRing(p: Pair, shell: SpherePolygon): boolean {
  return shell.ringVecs[0]!.some((v) => samePoint(p, fromVec(v)));
}

function fromVec(v: Vec): Pair {
  return [Math.atan2(v[1], v[0]) / RAD, Math.asin(Math.max(-1, Math.min(1, v[2]))) / RAD];
}

function parsePolygon(value: unknown): Pair[][] {
  if (!Array.isArray(value)) throw geoError('Polygon coordinates must be an array');
  if (value.length === 0) throw geoError('Polygon has no loops.');
  const shellRing = parseRing(value[0], undefined);
  const shell = prepare([shellRing]);
  return [shellRing, ...value.slice(1).map((hole) => parseRing(hole, shell))];
}

/** S2 refuses a loop whose edges cross (a bow tie): checked pairwise, as loops here are small. */
function assertSimple(ring: Pair[], text: string): void {
  const vecs = ring.map(toVec);
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // the closing edge meets the first at the first vertex
      if (arcsIntersect(vecs[i]!, vecs[i + 1]!, vecs[j]!, vecs[j + 1]!)) throw geoError(`Loop is not valid: ${text} Edges ${i} and ${j} cross`);
    }
  }
}

function addGeoJSON(value: Record<string, unknown>, into: Geometry): void {
  const { type, coordinates } = value;
  if (type === 'GeometryCollection') {
    if (!Array.isArray(value.geometries)) throw geoError('GeometryCollection geometries must be an array');
    for (const g of value.geometries) {
      if (!isPlainObject(g)) throw geoError('Element of GeometryCollection geometries must be an object');
      addGeoJSON(g, into);
    }
    return;
  }
  if (type === 'Point') {
    into.points.push(parsePosition(coordinates, true));
    return;
  }
  if (!Array.isArray(coordinates)) throw geoError(`GeoJSON coordinates must be an array, instead got type ${typeOf(coordinates)}`);
  switch (type) {
    case 'MultiPoint':
      for (const p of coordinates) into.points.push(parsePosition(p, true));
      return;
    case 'LineString':
    case 'MultiLineString': {
      const lines = type === 'LineString' ? [coordinates] : coordinates;
      for (const line of lines) {
        const vertices = parsePositions(line);
        if (vertices.length < 2) throw geoError(`GeoJSON LineString must have at least 2 vertices: ${JSON.stringify(line)}`);
        into.lines.push(vertices);
      }
      return;
    }
    case 'Polygon':
    case 'MultiPolygon': {
      const polys = type === 'Polygon' ? [coordinates] : coordinates;
      for (const poly of polys) into.polygons.push(parsePolygon(poly));
      return;
    }
    default:
      throw geoError(`unknown GeoJSON type: ${JSON.stringify(value)}`);
  }
}

/** Whether a value looks like a GeoJSON object (has a string `type`). */
export function isGeoJSONLike(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && typeof value.type === 'string';
}

/** A GeoJSON geometry, or throws an Error with mongod's reason. */
export function parseGeoJSON(value: Record<string, unknown>): Geometry {
  const geometry: Geometry = { crs: 'sphere', points: [], lines: [], polygons: [] };
  addGeoJSON(value, geometry);
  return geometry;
}

/** A stored value as a geometry (GeoJSON, or a legacy pair as a point), undefined when it is neither. */
export function storedGeometry(value: unknown): Geometry | undefined {
  if (isGeoJSONLike(value)) {
    try {
      return parseGeoJSON(value);
    } catch (err) {
      // A geometry this server cannot test (wider than a hemisphere) is refused, not skipped.
      if (err instanceof CommandError) throw err;
      return undefined;
    }
  }
  const pair = legacyPair(value);
  return pair ? { crs: 'flat', points: [pair], lines: [], polygons: [] } : undefined;
}

/** The geometries a document holds at a path: the value itself, or the elements of an array that is not a pair. */
export function geometriesAt(values: unknown[]): Array<{ value: unknown; geometry: Geometry }> {
  const out: Array<{ value: unknown; geometry: Geometry }> = [];
  for (const value of values) {
    const geometry = storedGeometry(value);
    if (geometry) out.push({ value, geometry });
    else if (Array.isArray(value)) {
      for (const item of value) {
        const g = storedGeometry(item);
        if (g) out.push({ value: item, geometry: g });
      }
    }
  }
  return out;
}

// ---- the sphere ----

/** The region of a `$geoWithin`/`$geoIntersects` `$geometry` on the sphere. */
export class SphereRegion {
  private readonly geometry: Geometry;
  private readonly prepared: SpherePolygon[];

  constructor(geometry: Geometry) {
    this.geometry = geometry;
    this.prepared = geometry.polygons.map(prepare);
  }

  private containsPoint(p: Pair): boolean {
    return this.prepared.some((poly) => inSpherePolygon(p, poly));
  }

  /** `$geoWithin`: every part of the stored geometry inside one of the region's polygons. */
  contains(g: Geometry): boolean {
    if (this.prepared.length === 0) return false;
    const vertices = [...g.points, ...g.lines.flat(), ...g.polygons.flatMap((p) => p[0]!)];
    if (!vertices.every((v) => this.containsPoint(v))) return false;
    const edges = [...g.lines.flatMap((l) => edgesOf([l])), ...g.polygons.flatMap((p) => edgesOf([p[0]!]))];
    if (edges.length === 0) return true;
    // A hole of the region inside a stored polygon leaves part of that polygon outside.
    const stored = g.polygons.map((p) => prepare([p[0]!]));
    const holes = this.geometry.polygons.flatMap((rings) => rings.slice(1));
    if (holes.some((hole) => hole.some((v) => stored.some((sp) => inSpherePolygon(v, sp))))) return false;
    // An edge leaving and re-entering (past a concave corner or a hole) crosses the boundary.
    return !this.geometry.polygons.some((rings) => anyEdgesCross(edges, edgesOf(rings)));
  }

  /** `$geoIntersects`: the stored geometry and the region share a point. */
  intersects(g: Geometry): boolean {
    const mine = this.geometry;
    const theirPolys = g.polygons.map(prepare);
    const theirVertices = [...g.points, ...g.lines.flat(), ...g.polygons.flatMap((p) => p.flat())];
    const myVertices = [...mine.points, ...mine.lines.flat(), ...mine.polygons.flatMap((p) => p.flat())];
    if (theirVertices.some((v) => this.containsPoint(v))) return true;
    if (myVertices.some((v) => theirPolys.some((poly) => inSpherePolygon(v, poly)))) return true;
    if (mine.points.some((a) => g.points.some((b) => samePoint(a, b)))) return true;
    const myEdges = [...mine.lines.flatMap((l) => edgesOf([l])), ...mine.polygons.flatMap((p) => edgesOf(p))];
    const theirEdges = [...g.lines.flatMap((l) => edgesOf([l])), ...g.polygons.flatMap((p) => edgesOf(p))];
    return anyEdgesCross(myEdges, theirEdges) || pointOnEdges(mine.points, theirEdges) || pointOnEdges(g.points, myEdges);
  }
}

function pointOnEdges(points: Pair[], edges: Array<[Vec, Vec]>): boolean {
  return points.some((p) => {
    const x = toVec(p);
    return edges.some(([a, b]) => {
      const n = cross(a, b);
      const len = norm(n);
      return len > 1e-15 && Math.abs(dot(x, n) / len) < 1e-12 && onArc(x, a, b, n);
    });
  });
}

/** All the points of a geometry (for `$centerSphere`): points, line vertices, polygon shells. */
export function verticesOf(g: Geometry): Pair[] {
  return [...g.points, ...g.lines.flat(), ...g.polygons.flatMap((p) => p[0]!)];
}

// ---- the plane (legacy $box, $polygon, $center) ----

/** Whether a planar point lies in a planar polygon, its boundary included (as mongod's flat $polygon). */
export function inFlatPolygon(p: Pair, ring: Pair[]): boolean {
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [a, b] = [ring[j]!, ring[i]!];
    const crossZ = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    const within = Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
    if (Math.abs(crossZ) < 1e-12 && within) return true;
  }
  return inPlanarRing(p, ring);
}

/** The angular distance from a point to a great-circle arc. */
function pointToArc(p: Vec, a: Vec, b: Vec): number {
  const n = cross(a, b);
  const len = norm(n);
  const toA = Math.acos(Math.max(-1, Math.min(1, dot(p, a))));
  const toB = Math.acos(Math.max(-1, Math.min(1, dot(p, b))));
  if (len < 1e-15) return Math.min(toA, toB);
  const unit = scale(n, 1 / len);
  // The foot of the perpendicular from P onto the arc's great circle.
  const foot = cross(cross(unit, p), unit);
  const footLen = norm(foot);
  if (footLen > 1e-15 && onArc(scale(foot, 1 / footLen), a, b, n)) return Math.abs(Math.asin(Math.max(-1, Math.min(1, dot(p, unit)))));
  return Math.min(toA, toB);
}

/** The angular distance (radians) from a point to a geometry on the sphere: 0 inside a polygon. */
export function pointToGeometry(point: Pair, g: Geometry): number {
  const p = toVec(point);
  let best = Infinity;
  for (const q of g.points) best = Math.min(best, sphereDistance(point, q));
  for (const line of g.lines) for (let i = 1; i < line.length; i++) best = Math.min(best, pointToArc(p, toVec(line[i - 1]!), toVec(line[i]!)));
  for (const poly of g.polygons) {
    if (inSpherePolygon(point, prepare(poly))) return 0;
    for (const [a, b] of edgesOf(poly)) best = Math.min(best, pointToArc(p, a, b));
  }
  return best;
}
