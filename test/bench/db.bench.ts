// `npm run bench:db`: throughput of the embedded server through Mongoose, on a durable data
// directory, with 100,000 documents loaded. Each figure is printed as a ratio to a `ping`
// round trip measured in the same run, so results compare across machines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Schema, type Types } from 'mongoose';
import { startEmbeddedMongoInWorker, type EmbeddedMongo } from '../../server/embedded-mongo/index.ts';

const DOCS = 100_000;
const BATCH = 1_000;
const SECONDS = 3;
const CONCURRENCY = 4;

interface Result {
  name: string;
  opsPerSec: number;
}

/** Runs `op` from CONCURRENCY loops for SECONDS and returns operations per second. */
async function measure(name: string, op: (i: number) => Promise<unknown>): Promise<Result> {
  const end = performance.now() + SECONDS * 1000;
  let count = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) await op(count++);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  const opsPerSec = count / ((performance.now() - started) / 1000);
  console.log(`  ${name.padEnd(26)} ${Math.round(opsPerSec).toString().padStart(7)} ops/s`);
  return { name, opsPerSec };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-bench-db-'));
let server: EmbeddedMongo | undefined;
try {
  server = await startEmbeddedMongoInWorker({ dataDir });
  console.log(`embedded server (worker thread, durable) at ${server.uri}, data in ${dataDir}`);
  const conn = await mongoose.createConnection(server.uri, { dbName: 'bench' }).asPromise();
  const Item = conn.model(
    'Item',
    new Schema({ email: { type: String, unique: true }, name: String, n: Number, tags: [String], createdAt: Date }),
  );
  await Item.init();

  const loadStarted = performance.now();
  for (let from = 0; from < DOCS; from += BATCH) {
    const batch = Array.from({ length: BATCH }, (_, j) => {
      const i = from + j;
      return { email: `user${i}@example.com`, name: `User ${i}`, n: i, tags: ['bench', `t${i % 10}`], createdAt: new Date() };
    });
    await Item.insertMany(batch, { lean: true });
    process.stdout.write(`\rloading ${(from + BATCH).toLocaleString('en')} / ${DOCS.toLocaleString('en')}`);
  }
  console.log(`\nloaded ${DOCS.toLocaleString('en')} documents in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
  const ids = (await Item.find({}, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>()).map((d) => d._id);
  const pick = (i: number): number => (i * 7919) % DOCS;

  console.log(`throughput, ${CONCURRENCY} concurrent callers, ${SECONDS} s each:`);
  const ping = await measure('ping', () => conn.db!.command({ ping: 1 }));
  const findOne = await measure('findOne by indexed field', (i) => Item.findOne({ email: `user${pick(i)}@example.com` }).lean());
  const updateOne = await measure('updateOne by _id', (i) => Item.updateOne({ _id: ids[pick(i)] }, { $inc: { n: 1 } }));
  const insertOne = await measure('insertOne (durable)', (i) => Item.create({ email: `new${i}@example.com`, name: 'New', n: i, tags: [] }));

  const targets: [Result, number][] = [
    [findOne, 0.5],
    [updateOne, 0.5],
    [insertOne, 0.25],
  ];
  console.log('ratio to ping (target):');
  for (const [result, target] of targets) {
    const ratio = result.opsPerSec / ping.opsPerSec;
    console.log(`  ${result.name.padEnd(26)} ${ratio.toFixed(2)} (≥ ${target}) ${ratio >= target ? 'ok' : 'BELOW TARGET'}`);
  }
  const rss = process.memoryUsage().rss / 1048576;
  console.log(`resident memory with ${(await Item.estimatedDocumentCount()).toLocaleString('en')} documents loaded: ${rss.toFixed(0)} MiB (server worker and client in one process)`);
  await conn.close();
  await server.close();
  server = undefined;

  const reopenStarted = performance.now();
  server = await startEmbeddedMongoInWorker({ dataDir });
  console.log(`restart: reloaded the data directory in ${((performance.now() - reopenStarted) / 1000).toFixed(1)} s`);
} finally {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
