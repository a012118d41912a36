/**
 * Spherical geometry for the geo operators (geo-shapes.ts): unit vectors, great-circle distance
 * and arcs, and polygons prepared for point tests in a gnomonic projection.
 */
import { CommandError, ErrorCodes } from '../errors.ts';
import type { Pair } from './geo-shapes.ts';

/** A point on the unit sphere. */
export type Vec = [number, number, number];

export const RAD = Math.PI / 180;

export function toVec([lng, lat]: Pair): Vec {
  const phi = lat * RAD;
  const lambda = lng * RAD;
  return [Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)];
}

export const dot = (a: Vec, b: Vec): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const norm = (a: Vec): number => Math.hypot(a[0], a[1], a[2]);
export const scale = (a: Vec, k: number): Vec => [a[0] * k, a[1] * k, a[2] * k];

/** The great-circle distance in radians (haversine). */
export function sphereDistance(a: Pair, b: Pair): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLng = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The planar distance. */
export function flatDistance(a: Pair, b: Pair): number {
  return Math.hypot(b[0] - a[0], b[1] - a[1]);
}

/** Whether X (on the great circle of A, B) lies on the shorter arc from A to B. */
export function onArc(x: Vec, a: Vec, b: Vec, n: Vec): boolean {
  return dot(cross(a, x), n) >= -1e-15 && dot(cross(x, b), n) >= -1e-15;
}

/** Whether the great-circle arcs AB and CD cross or touch. */
export function arcsIntersect(a: Vec, b: Vec, c: Vec, d: Vec): boolean {
  const n1 = cross(a, b);
  const n2 = cross(c, d);
  const line = cross(n1, n2);
  const len = norm(line);
  if (len < 1e-15) {
    // Same great circle (or a degenerate arc): they meet when an endpoint of one lies on the other.
    if (norm(n1) < 1e-15 || norm(n2) < 1e-15) return false;
    return onArc(c, a, b, n1) || onArc(d, a, b, n1) || onArc(a, c, d, n2) || onArc(b, c, d, n2);
  }
  for (const x of [scale(line, 1 / len), scale(line, -1 / len)]) if (onArc(x, a, b, n1) && onArc(x, c, d, n2)) return true;
  return false;
}

/**
 * A polygon prepared for point tests: its rings in the gnomonic projection centred on its
 * vertices' mean direction, where great circles are straight lines, so geodesic edges become
 * straight edges and the planar even-odd test is exact. A polygon whose vertices do not all lie
 * in that hemisphere (wider than S2 takes without a custom CRS) is refused.
 */
export interface SpherePolygon {
  center: Vec;
  u: Vec;
  v: Vec;
  rings: Pair[][];
  ringVecs: Vec[][];
}

export function prepare(polygon: Pair[][]): SpherePolygon {
  const ringVecs = polygon.map((ring) => ring.map(toVec));
  let sum: Vec = [0, 0, 0];
  for (const p of ringVecs[0]!.slice(1)) sum = [sum[0] + p[0], sum[1] + p[1], sum[2] + p[2]];
  const len = norm(sum);
  if (len < 1e-12) throw new CommandError(ErrorCodes.NotImplemented, 'polygons as wide as a hemisphere are not supported by the embedded server');
  const center = scale(sum, 1 / len);
  for (const ring of ringVecs) {
    for (const p of ring)
      if (dot(p, center) <= 1e-9)
        throw new CommandError(ErrorCodes.NotImplemented, 'polygons as wide as a hemisphere are not supported by the embedded server');
  }
  // A tangent basis at the centre.
  const helper: Vec = Math.abs(center[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  const u0 = cross(helper, center);
  const u = scale(u0, 1 / norm(u0));
  const v = cross(center, u);
  const project = (p: Vec): Pair => {
    const k = dot(p, center);
    return [dot(p, u) / k, dot(p, v) / k];
  };
  return { center, u, v, rings: ringVecs.map((r) => r.map(project)), ringVecs };
}

export function inPlanarRing(p: Pair, ring: Pair[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function inSpherePolygon(point: Pair, poly: SpherePolygon): boolean {
  const p = toVec(point);
  const k = dot(p, poly.center);
  if (k <= 0) return false;
  const q: Pair = [dot(p, poly.u) / k, dot(p, poly.v) / k];
  if (!inPlanarRing(q, poly.rings[0]!)) return false;
  return poly.rings.slice(1).every((hole) => !inPlanarRing(q, hole));
}

export function edgesOf(rings: Pair[][]): Array<[Vec, Vec]> {
  const out: Array<[Vec, Vec]> = [];
  for (const ring of rings) for (let i = 1; i < ring.length; i++) out.push([toVec(ring[i - 1]!), toVec(ring[i]!)]);
  return out;
}

export function anyEdgesCross(a: Array<[Vec, Vec]>, b: Array<[Vec, Vec]>): boolean {
  return a.some(([p, q]) => b.some(([r, s]) => arcsIntersect(p, q, r, s)));
}

export const samePoint = (a: Pair, b: Pair): boolean => sphereDistance(a, b) < 1e-12;
