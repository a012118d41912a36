import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedRead } from '../../server/db-batch.ts';

/** A read that records the keys of each call. */
function recordingRead() {
  const calls: string[][] = [];
  const read = sharedRead<string, string | null>(
    async (keys) => {
      calls.push([...keys]);
      if (keys.includes('boom')) throw new Error('database down');
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, `value of ${k}`]));
    },
    (k) => k,
    null,
  );
  return { calls, read };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('reads asked for in one loop turn, from separate callbacks, go out as one, each key once', async () => {
  const { calls, read } = recordingRead();
  // As requests arrive: each from its own I/O callback of the same turn.
  const asked = await new Promise<Promise<string | null>[]>((resolve) => {
    const out: Promise<string | null>[] = [];
    for (const key of ['a', 'b', 'a', 'missing']) setImmediate(() => out.push(read(key)));
    setImmediate(() => resolve(out));
  });
  assert.deepEqual(await Promise.all(asked), ['value of a', 'value of b', 'value of a', null]);
  assert.deepEqual(calls, [['a', 'b', 'missing']]);
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
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  assert.equal(await read('x'), 'value of x');
  assert.equal(calls.length, 2);
});
