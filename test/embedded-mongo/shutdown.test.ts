import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MongoClient } from 'mongodb';
import { socketPathFor, socketUri } from '../../server/embedded-mongo/socket-path.ts';
import { startLectern, stopProcess } from '../helpers/lectern-process.ts';

/** Minutes of work on the database thread in little memory: a million-number array built and filtered per document. */
const ENDLESS = [{ $match: { $expr: { $gt: [{ $size: { $filter: { input: { $range: [0, 1_000_000] }, cond: { $gte: ['$$this', 0] } } } }, 0] } } }];

test(
  'SIGTERM ends Lectern within 15 s while the database thread is busy with a command',
  { skip: process.env.MONGODB_URI ? 'the embedded server' : false, timeout: 180_000 },
  async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-sigterm-'));
    // No time budget, so the command would hold the database thread for minutes.
    const { child, url } = await startLectern(dataDir, { LECTERN_DB_MAX_TIME_MS: '0', LECTERN_DEMO: '0' });
    const client = await MongoClient.connect(socketUri(socketPathFor(dataDir).socketPath));
    try {
      const coll = client.db('lectern').collection('busy');
      await coll.insertMany(Array.from({ length: 1000 }, (_, i) => ({ i })));
      const running = coll
        .aggregate(ENDLESS)
        .toArray()
        .catch(() => 'ended');
      // /healthz says 503 once its ping waits behind the command: the thread is busy.
      let health = 200;
      for (let attempt = 0; attempt < 100 && health === 200; attempt++) health = (await fetch(`${url}/healthz`)).status;
      assert.equal(health, 503, 'the database thread is busy');
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const outcome = await Promise.race([
        exited.then((code) => `exited with ${code}`),
        new Promise((resolve) => setTimeout(resolve, 15_000, 'still running')),
      ]);
      assert.equal(outcome, 'exited with 0', 'a clean shutdown, not a crash');
      await running;
    } finally {
      await client.close(true).catch(() => undefined);
      await stopProcess(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
