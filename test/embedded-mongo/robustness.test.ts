import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deserialize, serialize } from 'bson';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo/index.ts';

let server: EmbeddedMongo;
let client: MongoClient;
let db: Db;
let port: number;
// Unauthenticated raw TCP clients may only run the handshake; commands that need a login go
// through the owner-only Unix socket, which needs none.
const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lectern-robust-'));
const socketPath = path.join(socketDir, 'db.sock');

before(async () => {
  // Raw-socket tests target the embedded server's own framing, so they always run against it.
  server = await startEmbeddedMongo({ partialMessageTimeoutMs: 300, socketPath });
  port = Number(new URL(server.uri).port);
  client = await MongoClient.connect(server.uri);
  db = client.db('robust');
  await db.collection('kept').insertMany([{ k: 1 }, { k: 2 }]);
});

after(async () => {
  await client.close();
  await server.close();
  fs.rmSync(socketDir, { recursive: true, force: true });
});

function header(length: number, requestId: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(body: Uint8Array, requestId = 1, flags = 0): Buffer {
  const rest = Buffer.concat([Buffer.from([flags, 0, 0, 0]), Buffer.from([0]), Buffer.from(body)]);
  return Buffer.concat([header(16 + rest.length, requestId, 2013), rest]);
}

/** Sends bytes on a fresh connection; resolves with what came back and whether the server closed. */
function exchange(bytes: Buffer, waitMs = 1500, via: 'tcp' | 'unix' = 'tcp'): Promise<{ closed: boolean; data: Buffer }> {
  return new Promise((resolve) => {
    const socket = via === 'unix' ? net.connect(socketPath) : net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ closed, data: Buffer.concat(chunks) });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(bytes);
  });
}

function replyDoc(data: Buffer): Record<string, unknown> {
  const opCode = data.readInt32LE(12);
  const at = opCode === 1 ? 36 : 21;
  const size = data.readInt32LE(at);
  return deserialize(data.subarray(at, at + size));
}

async function stillServing(): Promise<void> {
  assert.deepEqual(await db.admin().ping(), { ok: 1 });
  assert.deepEqual(
    (
      await db
        .collection('kept')
        .find({}, { projection: { _id: 0 } })
        .toArray()
    ).map((d) => d.k),
    [1, 2],
  );
}

describe('malformed input over a raw socket', () => {
  it('closes a connection whose header is truncated', async () => {
    const result = await exchange(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    assert.equal(result.closed, true);
    await stillServing();
  });

  it('closes a connection whose length is below a header', async () => {
    const result = await exchange(header(4, 1, 2013));
    assert.equal(result.closed, true);
    await stillServing();
  });

  it('closes a connection that announces more bytes than it sends', async () => {
    const result = await exchange(Buffer.concat([header(1000, 1, 2013), Buffer.alloc(40)]));
    assert.equal(result.closed, true);
    await stillServing();
  });

  it('answers or closes when the length is smaller than the message', async () => {
    const msg = opMsg(serialize({ ping: 1, $db: 'admin' }));
    msg.writeInt32LE(24, 0);
    const result = await exchange(msg);
    assert.ok(result.closed || (result.data.length > 0 && replyDoc(result.data).ok === 0));
    await stillServing();
  });

  it('refuses a message over maxMessageSizeBytes without reading it', async () => {
    const result = await exchange(header(48_000_001, 1, 2013));
    assert.equal(result.closed, true);
    await stillServing();
  });

  it('answers garbage BSON with an error reply and keeps the connection', async () => {
    const body = Buffer.from(serialize({ ping: 1, $db: 'admin' }));
    body[4] = 0x7f; // an unknown element type
    const result = await exchange(opMsg(body), 500);
    assert.ok(result.data.length > 0);
    const reply = replyDoc(result.data);
    assert.equal(reply.ok, 0);
    assert.equal(reply.code, 22);
    await stillServing();
  });

  it('closes a connection that sends an unknown opcode', async () => {
    const result = await exchange(Buffer.concat([header(21, 1, 9999), Buffer.alloc(5)]));
    assert.equal(result.closed, true);
    await stillServing();
  });

  it('answers the legacy OP_QUERY handshake with OP_REPLY', async () => {
    const query = serialize({ isMaster: 1 });
    const rest = Buffer.concat([Buffer.alloc(4), Buffer.from('admin.$cmd\0'), Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), Buffer.from(query)]);
    const result = await exchange(Buffer.concat([header(16 + rest.length, 7, 2004), rest]), 500);
    assert.equal(result.data.readInt32LE(12), 1);
    assert.equal(result.data.readInt32LE(8), 7);
    const reply = replyDoc(result.data);
    assert.equal(reply.ismaster, true);
    assert.equal(reply.maxWireVersion, 21);
  });

  it('accepts a message carrying a checksum', async () => {
    const withChecksum = opMsg(serialize({ ping: 1, $db: 'admin' }), 12, 1);
    const framed = Buffer.concat([withChecksum, Buffer.alloc(4)]);
    framed.writeInt32LE(framed.length, 0);
    const result = await exchange(framed, 500);
    assert.equal(result.data.readInt32LE(8), 12);
    assert.equal(replyDoc(result.data).ok, 1);
  });

  it('sends no reply to a moreToCome message', async () => {
    const silent = opMsg(serialize({ insert: 'kept2', documents: [{ x: 1 }], $db: 'robust' }), 10, 2);
    const answered = opMsg(serialize({ ping: 1, $db: 'admin' }), 11);
    const result = await exchange(Buffer.concat([silent, answered]), 500, 'unix');
    assert.equal(result.data.readInt32LE(8), 11, 'the only reply answers the second message');
    assert.equal(result.data.length, result.data.readInt32LE(0));
    assert.equal(await db.collection('kept2').countDocuments(), 1);
  });
});
