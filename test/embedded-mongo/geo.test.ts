import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient, MongoServerError, type Collection, type Db, type Document } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo/index.ts';
import { startTestServer, testEngineOptions, type TestServer } from './test-server.ts';

/*
 * 2d and 2dsphere indexes and the geo operators through the official driver, as MongoDB 7/8
 * answer them. Distances on the sphere are worked out here with the haversine formula on
 * mongod's Earth radius (kRadiusOfEarthInMeters, 6378100 m); from Paris they are about
 * London 343.9 km, Berlin 878.4 km, Madrid 1054.1 km, Rome 1106.5 km, New York 5843.7 km.
 */

function code(expected: number): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof MongoServerError, String(err));
    assert.equal(err.code, expected, err.message);
    return true;
  };
}

const EARTH_RADIUS_M = 6378100;
const RAD = Math.PI / 180;
function haversine(a: [number, number], b: [number, number]): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLng = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * Math.asin(Math.sqrt(h));
}

const CITIES: Record<string, [number, number]> = {
  paris: [2.3522, 48.8566],
  london: [-0.1276, 51.5072],
  berlin: [13.405, 52.52],
  madrid: [-3.7038, 40.4168],
  rome: [12.4964, 41.9028],
  newyork: [-74.006, 40.7128],
};
const PARIS = { type: 'Point', coordinates: CITIES.paris };
const KM = 1000;

/** A collection of documents with any `_id`. */
type Loose = { _id: string | number } & Document;
type City = { _id: string; loc: { type: 'Point'; coordinates: [number, number] } };
type Flat = { _id: string; pos: [number, number] };

const FLAT: Flat[] = [
  { _id: 'a', pos: [0.5, 0.5] },
  { _id: 'b', pos: [1, 1] },
  { _id: 'c', pos: [4, 4] },
  { _id: 'd', pos: [9, 0.5] },
  { _id: 'e', pos: [6, 6] },
];

describe('geo indexes and queries', () => {
  let server: TestServer;
  let client: MongoClient;
  let db: Db;
  let cities: Collection<City>;
  let unindexed: Collection<City>;
  let flat: Collection<Flat>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ids = async (coll: Collection<any>, filter: Document, sorted = true): Promise<string[]> => {
    const found = (await coll.find(filter).toArray()).map((d) => String(d._id));
    return sorted ? found.sort() : found;
  };

  before(async () => {
    server = await startTestServer('geo');
    client = await MongoClient.connect(server.uri);
    db = client.db(server.dbName);
    cities = db.collection<City>('cities');
    unindexed = db.collection<City>('unindexed');
    flat = db.collection<Flat>('flat');
    const docs = Object.entries(CITIES).map(([_id, coordinates]) => ({ _id, loc: { type: 'Point' as const, coordinates } }));
    await cities.createIndex({ loc: '2dsphere' });
    await cities.insertMany(docs);
    await unindexed.insertMany(docs);
    await flat.createIndex({ pos: '2d' });
    await flat.insertMany(FLAT);
  });
  after(async () => {
    await client?.close();
    await server?.close();
  });

  describe('indexes', () => {
    it('lists a 2dsphere index with 2dsphereIndexVersion 3 and a 2d index as given', async () => {
      const sphere = (await cities.listIndexes().toArray()).find((i) => i.name === 'loc_2dsphere');
      assert.deepEqual(sphere, { v: 2, key: { loc: '2dsphere' }, name: 'loc_2dsphere', '2dsphereIndexVersion': 3 });
      const planar = (await flat.listIndexes().toArray()).find((i) => i.name === 'pos_2d');
      assert.deepEqual(planar, { v: 2, key: { pos: '2d' }, name: 'pos_2d' });
    });

    it('refuses a document whose 2dsphere field is not a geometry (16755) and takes missing or null', async () => {
      const c = db.collection<{ _id: number; loc?: unknown }>('badgeo');
      await c.createIndex({ loc: '2dsphere' });
      await assert.rejects(c.insertOne({ _id: 1, loc: 'here' }), (err) => code(16755)(err) && /^Can't extract geo keys/.test((err as Error).message));
      await assert.rejects(c.insertOne({ _id: 2, loc: { type: 'Point', coordinates: [200, 0] } }), code(16755));
      await assert.rejects(
        c.insertOne({
          _id: 3,
          loc: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
              ],
            ],
          },
        }),
        code(16755),
      );
      await c.insertMany([{ _id: 4 }, { _id: 5, loc: null }, { _id: 6, loc: [2, 3] }]);
      await assert.rejects(c.updateOne({ _id: 4 }, { $set: { loc: { type: 'Point', coordinates: 'x' } } }), code(16755));
      assert.equal(await c.countDocuments(), 3);
    });

    it('refuses to build a 2dsphere index over a document it cannot index', async () => {
      const c = db.collection<Loose>('badgeo2');
      await c.insertOne({ _id: 1, loc: { type: 'Point', coordinates: ['a', 'b'] } });
      await assert.rejects(c.createIndex({ loc: '2dsphere' }), code(16755));
      assert.equal((await c.listIndexes().toArray()).length, 1);
    });

    it('refuses a 2d location that is not a pair (16804) or out of [-180, 180)', async () => {
      await assert.rejects(flat.insertOne({ _id: 'x', pos: ['a', 'b'] as never }), code(16804));
      await assert.rejects(flat.insertOne({ _id: 'y', pos: [180, 0] }), code(13027));
    });

    it('takes a compound 2dsphere index with an ascending key, and drops it', async () => {
      const c = db.collection<Loose>('compound');
      assert.equal(await c.createIndex({ loc: '2dsphere', kind: 1 }), 'loc_2dsphere_kind_1');
      await c.insertOne({ _id: 1, loc: PARIS, kind: 'city' });
      assert.deepEqual(await ids(c, { kind: 'city', loc: { $near: { $geometry: PARIS } } }), ['1']);
      await c.dropIndex('loc_2dsphere_kind_1');
      assert.deepEqual(
        (await c.listIndexes().toArray()).map((i) => i.name),
        ['_id_'],
      );
    });

    it('refuses two geo fields in one index, and 2d not first', async () => {
      await assert.rejects(db.collection<Loose>('two').createIndex({ a: '2dsphere', b: '2d' }), code(16800));
      await assert.rejects(db.collection<Loose>('two').createIndex({ a: 1, b: '2d' }), code(16801));
    });
  });

  describe('$geoWithin', () => {
    it('finds points in a GeoJSON polygon, with or without an index', async () => {
      const box = {
        $geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [-5, 45],
              [15, 45],
              [15, 55],
              [-5, 55],
              [-5, 45],
            ],
          ],
        },
      };
      assert.deepEqual(await ids(cities, { loc: { $geoWithin: box } }), ['berlin', 'london', 'paris']);
      assert.deepEqual(await ids(unindexed, { loc: { $geoWithin: box } }), ['berlin', 'london', 'paris']);
    });

    it('follows geodesic edges: a 120° edge along latitude 60 bulges north to 73.9° at longitude 0', async () => {
      const c = db.collection<Loose>('north');
      await c.insertMany([
        { _id: 'low', loc: { type: 'Point', coordinates: [0, 62] } },
        { _id: 'high', loc: { type: 'Point', coordinates: [0, 76] } },
      ]);
      const band = {
        $geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [-60, 60],
              [60, 60],
              [60, 70],
              [-60, 70],
              [-60, 60],
            ],
          ],
        },
      };
      // On a flat map [0, 62] would be inside and [0, 76] outside; on the sphere it is the other way round.
      assert.deepEqual(await ids(c, { loc: { $geoWithin: band } }), ['high']);
    });

    it('finds points in a MultiPolygon and in a $centerSphere (radians)', async () => {
      const multi = {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [-1, 51],
              [0, 51],
              [0, 52],
              [-1, 52],
              [-1, 51],
            ],
          ],
          [
            [
              [12, 41],
              [13, 41],
              [13, 42],
              [12, 42],
              [12, 41],
            ],
          ],
        ],
      };
      assert.deepEqual(await ids(cities, { loc: { $geoWithin: { $geometry: multi } } }), ['london', 'rome']);
      assert.deepEqual(await ids(cities, { loc: { $geoWithin: { $centerSphere: [CITIES.paris, (1000 * KM) / EARTH_RADIUS_M] } } }), [
        'berlin',
        'london',
        'paris',
      ]);
      assert.deepEqual(await ids(unindexed, { loc: { $geoWithin: { $centerSphere: [CITIES.paris, (1080 * KM) / EARTH_RADIUS_M] } } }), [
        'berlin',
        'london',
        'madrid',
        'paris',
      ]);
    });

    it('finds legacy points in the flat $box, $polygon and $center, and no GeoJSON point', async () => {
      assert.deepEqual(
        await ids(flat, {
          pos: {
            $geoWithin: {
              $box: [
                [0, 0],
                [5, 5],
              ],
            },
          },
        }),
        ['a', 'b', 'c'],
      );
      assert.deepEqual(
        await ids(flat, {
          pos: {
            $geoWithin: {
              $polygon: [
                [0, 0],
                [10, 0],
                [0, 10],
              ],
            },
          },
        }),
        ['a', 'b', 'c', 'd'],
      );
      assert.deepEqual(await ids(flat, { pos: { $geoWithin: { $center: [[0, 0], 2] } } }), ['a', 'b']);
      assert.deepEqual(await ids(flat, { pos: { $within: { $center: [[0, 0], 2] } } }), ['a', 'b']);
      assert.deepEqual(
        await ids(unindexed, {
          loc: {
            $geoWithin: {
              $box: [
                [-10, 40],
                [20, 60],
              ],
            },
          },
        }),
        [],
      );
    });

    it('filters updates and deletes', async () => {
      const c = db.collection<Loose>('writes');
      await c.insertMany(Object.entries(CITIES).map(([_id, coordinates]) => ({ _id, loc: { type: 'Point', coordinates } })));
      const europe = { $geoWithin: { $centerSphere: [CITIES.paris, (1000 * KM) / EARTH_RADIUS_M] } };
      assert.equal((await c.updateMany({ loc: europe }, { $set: { near: true } })).modifiedCount, 3);
      assert.equal((await c.deleteMany({ loc: { $geoIntersects: { $geometry: { type: 'Point', coordinates: CITIES.rome } } } })).deletedCount, 1);
      assert.deepEqual(await ids(c, { near: true }), ['berlin', 'london', 'paris']);
      assert.equal(await c.countDocuments(), 5);
    });

    it('refuses a self-crossing polygon, in a query (2) and in a stored document (16755)', async () => {
      const bowTie = {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [10, 10],
            [10, 0],
            [0, 10],
            [0, 0],
          ],
        ],
      };
      await assert.rejects(cities.find({ loc: { $geoWithin: { $geometry: bowTie } } }).toArray(), code(2));
      await assert.rejects(cities.insertOne({ _id: 'bowtie', loc: bowTie as never }), code(16755));
    });

    it('takes repeated adjacent vertices (mongod erases them) and refuses a hole outside the shell (2)', async () => {
      const repeated = {
        type: 'Polygon',
        coordinates: [
          [
            [-5, 45],
            [15, 45],
            [15, 45],
            [15, 55],
            [-5, 55],
            [-5, 45],
          ],
        ],
      };
      assert.deepEqual(await ids(cities, { loc: { $geoWithin: { $geometry: repeated } } }), ['berlin', 'london', 'paris']);
      const holeOutside = {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [10, 0],
            [10, 10],
            [0, 10],
            [0, 0],
          ],
          [
            [20, 20],
            [21, 20],
            [21, 21],
            [20, 20],
          ],
        ],
      };
      await assert.rejects(cities.find({ loc: { $geoWithin: { $geometry: holeOutside } } }).toArray(), code(2));
      // A hole: Paris is in the shell but also in the hole.
      const withHole = {
        type: 'Polygon',
        coordinates: [
          [
            [-5, 45],
            [15, 45],
            [15, 55],
            [-5, 55],
            [-5, 45],
          ],
          [
            [1, 48],
            [4, 48],
            [4, 50],
            [1, 50],
            [1, 48],
          ],
        ],
      };
      assert.deepEqual(await ids(cities, { loc: { $geoWithin: { $geometry: withHole } } }), ['berlin', 'london']);
    });

    it('refuses a big polygon (strict-winding CRS) it cannot answer (238)', async () => {
      const crs = { type: 'name', properties: { name: 'urn:x-mongodb:crs:strictwinding:EPSG:4326' } };
      const big = {
        type: 'Polygon',
        coordinates: [
          [
            [-10, -10],
            [10, -10],
            [10, 10],
            [-10, 10],
            [-10, -10],
          ],
        ],
        crs,
      };
      await assert.rejects(cities.find({ loc: { $geoWithin: { $geometry: big } } }).toArray(), code(238));
    });

    it('answers no documents for $near on a collection that does not exist', async () => {
      assert.deepEqual(await ids(db.collection('nowhere'), { loc: { $near: { $geometry: PARIS } } }), []);
    });

    it('refuses a malformed shape with BadValue', async () => {
      await assert.rejects(cities.find({ loc: { $geoWithin: { $geometry: PARIS } } }).toArray(), code(2));
      await assert.rejects(cities.find({ loc: { $geoWithin: { $square: [0, 0] } } }).toArray(), code(2));
    });
  });

  describe('$near and $nearSphere', () => {
    it('orders by distance on the sphere in meters, within $maxDistance / $minDistance', async () => {
      const near = (extra: Document) => ids(cities, { loc: { $near: { $geometry: PARIS, ...extra } } }, false);
      assert.deepEqual(await near({}), ['paris', 'london', 'berlin', 'madrid', 'rome', 'newyork']);
      assert.deepEqual(await near({ $maxDistance: 1000 * KM }), ['paris', 'london', 'berlin']);
      assert.deepEqual(await near({ $minDistance: 500 * KM, $maxDistance: 1100 * KM }), ['berlin', 'madrid']);
      assert.deepEqual(await ids(cities, { loc: { $nearSphere: { $geometry: PARIS, $maxDistance: 400 * KM } } }, false), ['paris', 'london']);
      const limited = await cities
        .find({ loc: { $near: { $geometry: { type: 'Point', coordinates: CITIES.rome } } } })
        .limit(2)
        .toArray();
      assert.deepEqual(
        limited.map((d) => d._id),
        ['rome', 'paris'],
      );
    });

    it('gives way to an explicit sort, as the manual says ($near then sort re-orders)', async () => {
      const found = await cities
        .find({ loc: { $near: { $geometry: PARIS, $maxDistance: 1000 * KM } } })
        .sort({ _id: -1 })
        .toArray();
      assert.deepEqual(
        found.map((d) => d._id),
        ['paris', 'london', 'berlin'].sort().reverse(),
      );
    });

    it('may sit in a top-level $and', async () => {
      const filter = { $and: [{ loc: { $near: { $geometry: PARIS, $maxDistance: 1000 * KM } } }, { _id: { $ne: 'london' } }] };
      assert.deepEqual(await ids(cities, filter, false), ['paris', 'berlin']);
    });

    it('combines with the rest of the filter', async () => {
      assert.deepEqual(await ids(cities, { _id: { $in: ['rome', 'newyork', 'madrid'] }, loc: { $near: { $geometry: PARIS } } }, false), [
        'madrid',
        'rome',
        'newyork',
      ]);
    });

    it('orders legacy pairs in the plane with a 2d index, and on the sphere (radians) with $nearSphere', async () => {
      assert.deepEqual(await ids(flat, { pos: { $near: [0, 0] } }, false), ['a', 'b', 'c', 'e', 'd']);
      assert.deepEqual(await ids(flat, { pos: { $near: [0, 0], $maxDistance: 2 } }, false), ['a', 'b']);
      // [9, 0.5] is 9.01 away in the plane; on the sphere (radians) it is farther than [6, 6] too.
      const radius = haversine([0, 0], [6, 6]) + 1e-9;
      assert.deepEqual(await ids(flat, { pos: { $nearSphere: [0, 0], $maxDistance: radius } }, false), ['a', 'b', 'c', 'e']);
    });

    it('needs a geo index (291), and a 2dsphere one for a GeoJSON point', async () => {
      await assert.rejects(
        unindexed.find({ loc: { $near: { $geometry: PARIS } } }).toArray(),
        (err) => code(291)(err) && /unable to find index for \$geoNear query/.test((err as Error).message),
      );
      await assert.rejects(flat.find({ pos: { $near: { $geometry: { type: 'Point', coordinates: [0, 0] } } } }).toArray(), code(291));
    });

    it('is refused below the top level (2) and where results cannot be sorted (5626500)', async () => {
      await assert.rejects(
        cities.find({ $or: [{ loc: { $near: { $geometry: PARIS } } }, { _id: 'x' }] }).toArray(),
        (err) => code(2)(err) && /geoNear must be top-level expr/.test((err as Error).message),
      );
      await assert.rejects(cities.countDocuments({ loc: { $near: { $geometry: PARIS } } }), code(5626500));
      await assert.rejects(cities.aggregate([{ $match: { loc: { $near: { $geometry: PARIS } } } }]).toArray(), code(5626500));
    });
  });

  describe('$geoNear', () => {
    it('adds distances in meters, nearest first, with includeLocs, query and distanceMultiplier', async () => {
      const out = await cities
        .aggregate([{ $geoNear: { near: PARIS, distanceField: 'dist', maxDistance: 1000 * KM, includeLocs: 'where' } }, { $project: { dist: 1, where: 1 } }])
        .toArray();
      assert.deepEqual(
        out.map((d) => d._id),
        ['paris', 'london', 'berlin'],
      );
      for (const d of out) assert.ok(Math.abs(d.dist - haversine(CITIES.paris!, CITIES[d._id]!) * EARTH_RADIUS_M) < 1e-3, `${d._id}: ${d.dist}`);
      assert.ok(Math.abs(out[1]!.dist - 343_900) < 100, String(out[1]!.dist));
      assert.deepEqual(out[2]!.where, { type: 'Point', coordinates: CITIES.berlin });
      const km = await cities
        .aggregate([
          { $geoNear: { near: PARIS, distanceField: 'km', distanceMultiplier: 0.001, query: { _id: { $ne: 'paris' } }, minDistance: 900 * KM, key: 'loc' } },
          { $limit: 2 },
        ])
        .toArray();
      assert.deepEqual(
        km.map((d) => [d._id, Math.round(d.km)]),
        [
          ['madrid', 1054],
          ['rome', 1107],
        ],
      );
    });

    it('measures legacy pairs in the plane, or on the sphere in radians with spherical: true', async () => {
      const planar = await flat.aggregate([{ $geoNear: { near: [0, 0], distanceField: 'd' } }]).toArray();
      assert.deepEqual(
        planar.map((d) => [d._id, Number(d.d.toFixed(4))]),
        [
          ['a', 0.7071],
          ['b', 1.4142],
          ['c', 5.6569],
          ['e', 8.4853],
          ['d', 9.0139],
        ],
      );
      const sphere = await flat.aggregate([{ $geoNear: { near: [0, 0], distanceField: 'd', spherical: true } }, { $limit: 1 }]).toArray();
      assert.ok(Math.abs(sphere[0]!.d - haversine([0, 0], [0.5, 0.5])) < 1e-12);
    });

    it('must be first (40603) and needs exactly one usable geo index (27)', async () => {
      await assert.rejects(cities.aggregate([{ $match: {} }, { $geoNear: { near: PARIS, distanceField: 'd' } }]).toArray(), code(40603));
      await assert.rejects(unindexed.aggregate([{ $geoNear: { near: PARIS, distanceField: 'd' } }]).toArray(), code(27));
      const two = db.collection<Loose>('twoIndexes');
      await two.createIndex({ a: '2dsphere' });
      await two.createIndex({ b: '2dsphere' });
      await assert.rejects(
        two.aggregate([{ $geoNear: { near: PARIS, distanceField: 'd' } }]).toArray(),
        (err) => code(27)(err) && /more than one 2dsphere index/.test((err as Error).message),
      );
      assert.deepEqual(await two.aggregate([{ $geoNear: { near: PARIS, distanceField: 'd', key: 'b' } }]).toArray(), []);
    });
  });

  describe('$geoIntersects', () => {
    it('intersects points and polygons with a point or a polygon', async () => {
      const c = db.collection<Loose>('shapes');
      await c.createIndex({ g: '2dsphere' });
      await c.insertMany([
        {
          _id: 'A',
          g: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [10, 0],
                [10, 10],
                [0, 10],
                [0, 0],
              ],
            ],
          },
        },
        {
          _id: 'B',
          g: {
            type: 'Polygon',
            coordinates: [
              [
                [20, 20],
                [30, 20],
                [30, 30],
                [20, 30],
                [20, 20],
              ],
            ],
          },
        },
        { _id: 'C', g: { type: 'Point', coordinates: [5, 5] } },
        { _id: 'D', g: { type: 'Point', coordinates: [15, 15] } },
      ]);
      const hit = (geometry: Document) => ids(c, { g: { $geoIntersects: { $geometry: geometry } } });
      assert.deepEqual(await hit({ type: 'Point', coordinates: [5, 5] }), ['A', 'C']);
      assert.deepEqual(
        await hit({
          type: 'Polygon',
          coordinates: [
            [
              [8, 8],
              [25, 8],
              [25, 25],
              [8, 25],
              [8, 8],
            ],
          ],
        }),
        ['A', 'B', 'D'],
      );
      // Edges crossing with no vertex of either polygon inside the other.
      assert.deepEqual(
        await hit({
          type: 'Polygon',
          coordinates: [
            [
              [-5, 4],
              [15, 4],
              [15, 6],
              [-5, 6],
              [-5, 4],
            ],
          ],
        }),
        ['A', 'C'],
      );
      assert.deepEqual(await hit({ type: 'Point', coordinates: [40, 40] }), []);
      // Within: B lies in a big square; A does not, as the square's hole is inside A.
      const square = {
        type: 'Polygon',
        coordinates: [
          [
            [-20, -20],
            [40, -20],
            [40, 40],
            [-20, 40],
            [-20, -20],
          ],
          [
            [4, 4],
            [6, 4],
            [6, 6],
            [4, 6],
            [4, 4],
          ],
        ],
      };
      assert.deepEqual(await ids(c, { g: { $geoWithin: { $geometry: square } } }), ['B', 'D']);
      // A line from D's side across B's west edge: it meets B and passes D; A is far from it.
      assert.deepEqual(
        await hit({
          type: 'LineString',
          coordinates: [
            [15, 15],
            [25, 25],
          ],
        }),
        ['B', 'D'],
      );
    });
  });

  describe('a geo index in a data directory', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'lectern-geo-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('survives a restart and still serves $near', { skip: server?.embedded === false }, async () => {
      let db1 = await startEmbeddedMongo({ ...testEngineOptions(), dataDir: dir });
      let c1 = await MongoClient.connect(db1.uri);
      const coll = c1.db('geo').collection<Loose>('places');
      await coll.createIndex({ loc: '2dsphere' }, { name: 'where' });
      await coll.insertMany([
        { _id: 'rome', loc: { type: 'Point', coordinates: CITIES.rome } },
        { _id: 'paris', loc: PARIS },
      ]);
      await c1.close();
      await db1.close();
      db1 = await startEmbeddedMongo({ ...testEngineOptions(), dataDir: dir });
      c1 = await MongoClient.connect(db1.uri);
      const again = c1.db('geo').collection<Loose>('places');
      try {
        assert.deepEqual(
          (await again.listIndexes().toArray()).find((i) => i.name === 'where'),
          { v: 2, key: { loc: '2dsphere' }, name: 'where', '2dsphereIndexVersion': 3 },
        );
        assert.deepEqual(
          (await again.find({ loc: { $near: { $geometry: PARIS } } }).toArray()).map((d) => d._id),
          ['paris', 'rome'],
        );
        await assert.rejects(again.insertOne({ _id: 'bad', loc: 'nowhere' }), code(16755));
        await again.dropIndex('where');
        await assert.rejects(again.find({ loc: { $near: { $geometry: PARIS } } }).toArray(), code(291));
      } finally {
        await c1.close();
        await db1.close();
      }
    });
  });
});
