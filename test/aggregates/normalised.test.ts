import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalised } from '../../server/aggregates/index.ts';

test('normalised reads a stored aggregate field by field: missing counters are 0, empty entries and bookkeeping go, a latest answer only when stored', () => {
  const stored = {
    _id: 'x',
    recent: ['r1'],
    n: { reviews: 2, answers: 1 },
    slots: { '2026-03-01T09:00': { r: 2, k: 1 }, '2026-03-01T09:15': { r: 0, k: 0, a: 0, s: 0 }, junk: 5 },
    questions: { qa: { n: 1, c: 1, s: 1_000_000, last: '2026-03-01T09:00:00.000Z|id|1' }, qb: { n: 1, c: 0, s: 0 } },
    topics: null,
  };
  assert.deepEqual(normalised(stored), {
    n: { reviews: 2, recalled: 0, answers: 1, correct: 0, score: 0 },
    slots: { '2026-03-01T09:00': { r: 2, k: 1, a: 0, s: 0 } },
    questions: { qa: { n: 1, c: 1, s: 1_000_000, last: '2026-03-01T09:00:00.000Z|id|1' }, qb: { n: 1, c: 0, s: 0 } },
    topics: {},
    passages: {},
  });
  assert.deepEqual(normalised(null), { n: { reviews: 0, recalled: 0, answers: 0, correct: 0, score: 0 }, slots: {}, questions: {}, topics: {}, passages: {} });
});
