// The learner aggregates stay exact: random sequences of reviews, answers, undos, deletions,
// repeated calls and concurrent writes, through the writers the app uses, and the stored document
// compared with a recomputation from the raw records after every sequence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { recordResponse, withdrawStudyResponse } from '../../server/responses/index.ts';
import { writeReviewLog, removeReviewLog } from '../../server/study/review-log.ts';
import { noteAnswer, noteReview, withdrawReview, storedAggregate, learnerAggregate } from '../../server/aggregates/index.ts';
import { answerFacts } from '../../server/responses/record.ts';
import { reviewFacts } from '../../server/study/reads.ts';
import { recomputedLearnerAggregate } from '../../server/progress/learner-aggregates.ts';
import { LearnerResponse } from '../../server/responses/model.ts';
import type { ReviewLogDoc } from '../../server/study/model.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

const T0 = Date.parse('2025-05-01T10:00:00.000Z');
const DAY = 86_400_000;
// Topic slugs with what a dotted path must escape.
const QUESTIONS = [
  { topics: ['rights'], passageId: 'p-1' },
  { topics: ['rights', 'courts'], passageId: 'p-1' },
  { topics: ['a.b'], passageId: 'p.2' },
  { topics: ['$x', 'courts'], passageId: 'p-3' },
].map((q) => ({ ...q, id: String(new mongoose.Types.ObjectId()) }));
const BANK = String(new mongoose.Types.ObjectId());
const SCORES = [0, 0.25, 1 / 3, 0.5, 2 / 3, 0.1, 1];

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

type Op =
  | { kind: 'review'; user: number; q: number; rating: number; at: number }
  | { kind: 'answer'; user: number; q: number; score: number; study: boolean; at: number }
  | { kind: 'undoReview' | 'deleteAnswer' | 'repeatReview' | 'repeatAnswer' | 'repeatUndo'; pick: number };

// Times on few distinct instants (ties on the latest answer included) over a few days.
const at = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 })).map(([d, m]) => T0 + d * DAY + m * 60_000);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('review' as const),
      user: fc.integer({ min: 0, max: 1 }),
      q: fc.integer({ min: 0, max: 3 }),
      rating: fc.integer({ min: 1, max: 4 }),
      at,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      user: fc.integer({ min: 0, max: 1 }),
      q: fc.integer({ min: 0, max: 3 }),
      score: fc.constantFrom(...SCORES),
      study: fc.boolean(),
      at,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('undoReview' as const, 'deleteAnswer' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('repeatReview' as const, 'repeatAnswer' as const, 'repeatUndo' as const), pick: fc.nat() }) },
);
// A step is one operation, or two run at once.
const step = fc.oneof({ weight: 3, arbitrary: op.map((o) => [o]) }, { weight: 1, arbitrary: fc.tuple(op, op) });

interface World {
  users: string[];
  reviews: ReviewLogDoc[];
  undone: ReviewLogDoc[];
  studyAnswers: Array<{ user: string; card: string; at: Date }>;
  answerIds: string[];
}

async function run(w: World, o: Op): Promise<void> {
  const pick = <T>(xs: T[], n: number) => (xs.length ? xs[n % xs.length] : undefined);
  switch (o.kind) {
    case 'review': {
      const q = QUESTIONS[o.q]!;
      const review = new Date(o.at);
      const doc = await writeReviewLog({
        userId: new mongoose.Types.ObjectId(w.users[o.user]),
        cardId: new mongoose.Types.ObjectId(),
        questionId: new mongoose.Types.ObjectId(q.id),
        bankId: new mongoose.Types.ObjectId(BANK),
        topics: q.topics,
        rating: o.rating,
        state: 2,
        due: review,
        stability: 1,
        difficulty: 5,
        elapsed_days: 1,
        last_elapsed_days: 1,
        scheduled_days: 1,
        learning_steps: 0,
        review,
        nextState: 2,
        nextDue: review,
        nextStability: 2,
        typedScore: null,
        previous: null,
      });
      w.reviews.push(doc);
      return;
    }
    case 'answer': {
      const q = QUESTIONS[o.q]!;
      const card = String(new mongoose.Types.ObjectId());
      const answeredAt = new Date(o.at);
      const definition = { type: 'mcq', topics: q.topics, source: { passageId: q.passageId } } as unknown as QuestionDefinition;
      await recordResponse({
        userId: w.users[o.user]!,
        source: o.study ? 'study' : 'practice',
        sourceRef: card,
        bankId: BANK,
        question: { id: q.id, key: `k${o.q}`, version: 1, definition },
        score: o.score,
        correct: o.score === 1,
        answeredAt,
      });
      if (o.study) w.studyAnswers.push({ user: w.users[o.user]!, card, at: answeredAt });
      return;
    }
    case 'undoReview': {
      const r = pick(w.reviews, o.pick);
      if (!r) return;
      w.reviews.splice(w.reviews.indexOf(r), 1);
      w.undone.push(r);
      await removeReviewLog(r);
      return;
    }
    case 'deleteAnswer': {
      const a = pick(w.studyAnswers, o.pick);
      if (!a) return;
      w.studyAnswers.splice(w.studyAnswers.indexOf(a), 1);
      await withdrawStudyResponse(a.user, a.card, a.at);
      return;
    }
    case 'repeatReview': {
      // The aggregate call made again for a review just counted (a retry after a lost reply).
      const r = pick(w.reviews.slice(-3), o.pick);
      if (r) await noteReview(reviewFacts(r));
      return;
    }
    case 'repeatAnswer': {
      const all = await LearnerResponse.find({ userId: { $in: w.users.map((u) => new mongoose.Types.ObjectId(u)) } })
        .sort({ _id: -1 })
        .limit(3)
        .lean();
      const a = pick(all, o.pick);
      if (a) await noteAnswer(answerFacts(a));
      return;
    }
    case 'repeatUndo': {
      // An undo run twice: the second remover finds nothing; the aggregate call itself repeated is a no-op too.
      const r = pick(w.undone, o.pick);
      if (!r) return;
      assert.equal(await removeReviewLog(r), false);
      await withdrawReview(reviewFacts(r));
    }
  }
}

test('stored aggregates equal a recomputation from the raw records after any sequence of writes, undos and deletions', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40, size: 'max' }), async (steps) => {
      const w: World = { users: [0, 1].map(() => String(new mongoose.Types.ObjectId())), reviews: [], undone: [], studyAnswers: [], answerIds: [] };
      for (const s of steps) await Promise.all(s.map((o) => run(w, o)));
      for (const u of w.users) assert.deepEqual(await storedAggregate(u), await recomputedLearnerAggregate(u));
    }),
    { numRuns: Number(process.env.AGGREGATE_RUNS ?? 40) },
  );
});

test('the view the dashboard reads gives scores back in 0..1 and the latest answer per question', async () => {
  const user = String(new mongoose.Types.ObjectId());
  const w: World = { users: [user, user], reviews: [], undone: [], studyAnswers: [], answerIds: [] };
  await run(w, { kind: 'answer', user: 0, q: 2, score: 1 / 3, study: true, at: T0 });
  await run(w, { kind: 'answer', user: 0, q: 2, score: 1, study: true, at: T0 + 60_000 });
  await run(w, { kind: 'review', user: 0, q: 2, rating: 1, at: T0 + DAY });
  let view = await learnerAggregate(user);
  assert.deepEqual(view.totals, { reviews: 1, recalled: 0, answers: 2, correct: 1, scoreSum: 1_333_333 / 1e6 });
  assert.deepEqual(
    view.days.map((d) => [d.day, d.reviews, d.answers]),
    [
      ['2025-05-01', 0, 2],
      ['2025-05-02', 1, 0],
    ],
  );
  assert.equal(view.questions.length, 1);
  assert.equal(view.questions[0]!.lastScore, 1);
  assert.deepEqual(
    view.topics.map((x) => [x.topic, x.answers, x.reviews]),
    [['a.b', 2, 1]],
  );
  // The latest answer withdrawn: the one before it is the latest again.
  await run(w, { kind: 'deleteAnswer', pick: 1 });
  view = await learnerAggregate(user);
  assert.equal(view.questions[0]!.lastScore, 1 / 3);
  assert.equal(view.questions[0]!.lastAt.getTime(), T0);
});
