import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo/index.ts';

const script = fileURLToPath(new URL('./fixtures/run-server.ts', import.meta.url));
const children = new Set<ChildProcess>();
const dirs: string[] = [];

/** Runs the server in a child process and resolves with what it printed first. */
function startChild(dataDir: string): Promise<{ child: ChildProcess; uri?: string; error?: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, ...(JSON.parse(line) as { uri?: string; error?: string }) });
    });
    child.on('exit', (code) => reject(new Error(`server child exited with ${code} before printing`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-embedded-'));
  dirs.push(dir);
  return dir;
}

after(async () => {
  for (const child of children) await kill(child);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('durability of the embedded server', { skip: process.env.MONGODB_URI ? 'only meaningful for the embedded server' : false }, () => {
  it('keeps every acknowledged write across kill -9 and a restart', async () => {
    const dir = tempDir();
    const first = await startChild(dir);
    assert.ok(first.uri, first.error);
    const client = await MongoClient.connect(first.uri);
    const coll = client.db('durable').collection('items');
    await coll.createIndex({ code: 1 }, { unique: true });
    const N = 500;
    for (let i = 0; i < N; i += 50) {
      await coll.insertMany(Array.from({ length: 50 }, (_, j) => ({ code: `c${i + j}`, n: i + j })));
    }
    await coll.updateOne({ code: 'c7' }, { $set: { touched: true } });
    await coll.deleteOne({ code: 'c8' });
    await client.close();
    await kill(first.child);

    const second = await startChild(dir);
    assert.ok(second.uri, second.error);
    const again = await MongoClient.connect(second.uri);
    const reopened = again.db('durable').collection('items');
    assert.equal(await reopened.countDocuments(), N - 1);
    assert.equal((await reopened.findOne({ code: 'c7' }))?.touched, true);
    assert.equal(await reopened.findOne({ code: 'c8' }), null);
    const indexes = await reopened.indexes();
    assert.ok(
      indexes.some((i) => i.name === 'code_1' && i.unique === true),
      'indexes are reloaded',
    );
    await assert.rejects(reopened.insertOne({ code: 'c1' }), (err: { code: number }) => err.code === 11000);
    await again.close();
    await kill(second.child);
  });

  it('refuses a second process on the same data directory with a clear message', async () => {
    const dir = tempDir();
    const owner = await startChild(dir);
    assert.ok(owner.uri, owner.error);
    const intruder = await startChild(dir).catch((err: Error) => ({ error: err.message, uri: undefined }));
    assert.equal(intruder.uri, undefined);
    assert.match(intruder.error ?? '', new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*already in use`));
    await assert.rejects(startEmbeddedMongo({ dataDir: dir }), /already in use/);
    await kill(owner.child);
  });
});
