import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedRead } from '../../server/db-batch.ts';

/** A read that records the keys of each call. */
function recordingRead() {
  const calls: string[][] = [];
  const read = sharedRead<string, string | null>(
    async (keys) => {
      calls.push([...keys]);
      // A round trip to the database takes a while.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (keys.includes('boom')) throw new Error('database down');
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, `value of ${k}`]));
    },
    (k) => k,
    null,
  );
  return { calls, read };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('a lone read goes at once; reads asked for while it is in flight go together when it is back, each key once', async () => {
  const { calls, read } = recordingRead();
  const first = read('a');
  // As requests arrive: each from its own I/O callback, while the first read is out.
  const asked = await new Promise<Promise<string | null>[]>((resolve) => {
    const out: Promise<string | null>[] = [];
    for (const key of ['b', 'a', 'missing']) setImmediate(() => out.push(read(key)));
    setImmediate(() => resolve(out));
  });
  assert.deepEqual(calls, [['a']], 'the first read did not wait for the others');
  assert.deepEqual([await first, ...(await Promise.all(asked))], ['value of a', 'value of b', 'value of a', null]);
  assert.deepEqual(calls, [['a'], ['b', 'a', 'missing']]);
});

test('nothing is cached: a later turn reads again', async () => {
  const { calls, read } = recordingRead();
  assert.equal(await read('a'), 'value of a');
  await nextTurn();
  assert.equal(await read('a'), 'value of a');
  assert.deepEqual(calls, [['a'], ['a']]);
});

test('a failed read fails every request of its batch, and the next batch reads again', async () => {
  const { calls, read } = recordingRead();
  const results = await Promise.allSettled([read('x'), read('boom')]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
  );
  assert.equal(await read('x'), 'value of x');
  assert.equal(calls.length, 2);
});
