import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { deserialize, serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { FrameReader } from '../../server/embedded-mongo/connection.ts';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo/index.ts';

// These tests target the embedded server's own connection handling, so they always run against it.

function opMsg(doc: object, requestId = 1): Buffer {
  const body = Buffer.from(serialize(doc));
  const out = Buffer.alloc(21 + body.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(2013, 12);
  body.copy(out, 21);
  return out;
}

function replyOf(data: Buffer): Record<string, unknown> {
  const size = data.readInt32LE(21);
  return deserialize(data.subarray(21, 21 + size));
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** A raw connection over the server's Unix socket, which needs no authentication (TCP does). */
function connect(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath, () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('frame reassembly', () => {
  it('reassembles messages pushed one byte at a time', () => {
    const a = opMsg({ ping: 1, $db: 'admin' }, 7);
    const b = opMsg({ hello: 1, $db: 'admin' }, 8);
    const reader = new FrameReader();
    const frames: Buffer[] = [];
    for (const byte of Buffer.concat([a, b])) {
      reader.push(Buffer.from([byte]));
      const frame = reader.next();
      if (frame) frames.push(Buffer.from(frame.message));
    }
    assert.deepEqual(frames, [a, b]);
    assert.equal(reader.buffered, 0);
  });

  it('copies each byte of a message sent in small chunks a bounded number of times (linear, not quadratic)', () => {
    const big = opMsg({ insert: 'c', documents: [{ text: 'x'.repeat(400_000) }], $db: 'test' });
    const reader = new FrameReader();
    let frame;
    for (let at = 0; at < big.length; at += 1000) {
      reader.push(big.subarray(at, at + 1000));
      frame = reader.next() ?? frame;
    }
    assert.ok(frame);
    assert.deepEqual(Buffer.from(frame.message), big);
    // Concatenating on every chunk copies about n²/2 bytes (here ~80 MB); the reader copies the message once.
    assert.ok(reader.copiedBytes <= big.length + 16, `copied ${reader.copiedBytes} bytes for a ${big.length}-byte message`);
  });
});

describe('backpressure and buffer caps', () => {
  let server: EmbeddedMongo;
  let client: MongoClient;
  let socketPath: string;
  let dir: string;
  const highWater = 256 * 1024;
  const inputCap = 1024 * 1024;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-bp-'));
    socketPath = path.join(dir, 'db.sock');
    server = await startEmbeddedMongo({
      socketPath,
      partialMessageTimeoutMs: 60_000,
      limits: { replyHighWaterBytes: highWater, unreadRepliesTimeoutMs: 500, totalInputCapBytes: inputCap },
    });
    client = await MongoClient.connect(server.uri);
    await client
      .db('bp')
      .collection('big')
      .insertOne({ _id: 1 as never, text: 'y'.repeat(20_000) });
  });

  after(async () => {
    await client.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a ping sent one byte per write', async () => {
    const socket = await connect(socketPath);
    socket.setNoDelay(true);
    const reply = new Promise<Buffer>((resolve) => socket.once('data', resolve));
    for (const byte of opMsg({ ping: 1, $db: 'admin' }, 42)) {
      socket.write(Buffer.from([byte]));
      await sleep(1);
    }
    const data = await reply;
    assert.equal(data.readInt32LE(8), 42);
    assert.equal(replyOf(data).ok, 1);
    socket.destroy();
  });

  it('stops serving a client that never reads its replies, cuts it off, and keeps memory bounded', async () => {
    const stats = server.stats!;
    const closedBefore = stats().closedForUnreadReplies;
    const socket = await connect(socketPath);
    socket.pause(); // never read a reply
    socket.on('error', () => undefined);
    // 5,000 small finds of a 20 KB document: ~100 MB of replies if nothing pushed back.
    const find = opMsg({ find: 'big', filter: { _id: 1 }, $db: 'bp' });
    socket.write(Buffer.concat(Array.from({ length: 5000 }, () => find)));
    await until(() => stats().closedForUnreadReplies > closedBefore, 'the non-reading client to be closed');
    const after = stats();
    // Unwritten replies never grow past the high-water mark by more than one reply.
    assert.ok(after.peakReplyBytes < highWater + 64 * 1024, `reply backlog peaked at ${after.peakReplyBytes} bytes`);
    await until(() => stats().inputBytes === 0, 'buffered request bytes to be released');
    socket.destroy();
    assert.equal(
      (
        await client
          .db('bp')
          .collection('big')
          .findOne({ _id: 1 as never })
      )?.text.length,
      20_000,
    );
  });

  it('closes connections once partial messages across all of them reach the server-wide cap', async () => {
    const stats = server.stats!;
    const sockets: net.Socket[] = [];
    for (let i = 0; i < 8; i++) {
      const socket = await connect(socketPath);
      socket.on('error', () => undefined);
      sockets.push(socket);
      // Each announces a 1 MB message and sends a fifth of it: 1.6 MB in all, over the 1 MB cap.
      const head = Buffer.alloc(16);
      head.writeInt32LE(1_000_000, 0);
      head.writeInt32LE(2013, 12);
      socket.write(Buffer.concat([head, Buffer.alloc(200_000)]));
    }
    await until(() => stats().closedForInputCap > 0, 'a connection to be closed at the cap');
    assert.ok(stats().peakInputBytes <= inputCap, `buffered ${stats().peakInputBytes} bytes, cap ${inputCap}`);
    for (const socket of sockets) socket.destroy();
    await until(() => stats().inputBytes === 0, 'buffered request bytes to be released');
    assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
  });
});
