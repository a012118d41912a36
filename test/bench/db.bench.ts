// `npm run bench:db`: throughput of the embedded server through Mongoose, on a durable data
// directory, with 100,000 documents loaded. Each figure is printed as a ratio to a `ping`
// round trip measured in the same run, so results compare across machines. The operations are
// measured in interleaved rounds and each ratio is taken against the ping of its own round
// (median over rounds), so load from other processes on a shared machine skews them less.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Schema, type Types } from 'mongoose';
import { startEmbeddedMongoInWorker, type EmbeddedMongo } from '../../server/embedded-mongo/index.ts';

const DOCS = 100_000;
const BATCH = 1_000;
const ROUNDS = 5;
const SECONDS_PER_ROUND = 1;
const CONCURRENCY = 4;

let opCounter = 0;

/** Runs `op` from CONCURRENCY loops for one round and returns operations per second. */
async function measure(op: (i: number) => Promise<unknown>): Promise<number> {
  const end = performance.now() + SECONDS_PER_ROUND * 1000;
  let count = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      await op(opCounter++);
      count++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  return count / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-bench-db-'));
let server: EmbeddedMongo | undefined;
try {
  server = await startEmbeddedMongoInWorker({ dataDir });
  console.log(`embedded server (worker thread, durable) at ${server.uri}, data in ${dataDir}`);
  const conn = await mongoose.createConnection(server.uri, { dbName: 'bench' }).asPromise();
  const Item = conn.model('Item', new Schema({ email: { type: String, unique: true }, name: String, n: Number, tags: [String], createdAt: Date }));
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
  const rssLoaded = process.memoryUsage().rss / 1048576;
  console.log(
    `resident memory with ${DOCS.toLocaleString('en')} documents loaded: ${rssLoaded.toFixed(0)} MiB (server worker and Mongoose client share the process)`,
  );
  const ids = (await Item.find({}, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>()).map((d) => d._id);
  const pick = (i: number): number => (i * 7919) % DOCS;

  const ops: { name: string; target: number; run: (i: number) => Promise<unknown> }[] = [
    { name: 'ping', target: 1, run: () => conn.db!.command({ ping: 1 }) },
    { name: 'findOne by indexed field', target: 0.5, run: (i) => Item.findOne({ email: `user${pick(i)}@example.com` }).lean() },
    { name: 'updateOne by _id', target: 0.5, run: (i) => Item.updateOne({ _id: ids[pick(i)] }, { $inc: { n: 1 } }) },
    { name: 'insertOne (durable)', target: 0.25, run: (i) => Item.create({ email: `new${i}@example.com`, name: 'New', n: i, tags: [] }) },
  ];
  const rates = new Map<string, number[]>(ops.map((o) => [o.name, []]));
  const ratios = new Map<string, number[]>(ops.map((o) => [o.name, []]));
  console.log(`throughput: ${ROUNDS} interleaved rounds of ${SECONDS_PER_ROUND} s per operation, ${CONCURRENCY} concurrent callers`);
  for (let round = 0; round < ROUNDS; round++) {
    const perRound = new Map<string, number>();
    for (const op of ops) perRound.set(op.name, await measure(op.run));
    for (const op of ops) {
      rates.get(op.name)!.push(perRound.get(op.name)!);
      ratios.get(op.name)!.push(perRound.get(op.name)! / perRound.get('ping')!);
    }
    process.stdout.write(`\rround ${round + 1} / ${ROUNDS}`);
  }
  console.log('\nmedian ops/s, and median ratio to ping in the same round (target):');
  for (const op of ops) {
    const rate = Math.round(median(rates.get(op.name)!))
      .toString()
      .padStart(7);
    if (op.name === 'ping') {
      console.log(`  ${op.name.padEnd(26)} ${rate} ops/s`);
      continue;
    }
    const ratio = median(ratios.get(op.name)!);
    console.log(`  ${op.name.padEnd(26)} ${rate} ops/s   ${ratio.toFixed(2)} of ping (≥ ${op.target}) ${ratio >= op.target ? 'ok' : 'BELOW TARGET'}`);
  }
  const rss = process.memoryUsage().rss / 1048576;
  console.log(`resident memory at the end, ${(await Item.estimatedDocumentCount()).toLocaleString('en')} documents: ${rss.toFixed(0)} MiB`);
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
