import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import type request from 'supertest';
import { startTestApp, registerAs, type TestApp } from '../helpers/test-app.ts';
import { shippedBankId } from '../quizzes/helpers.ts';
import { User } from '../../server/accounts/model.ts';
import { LearnerResponse } from '../../server/responses/model.ts';
import { answerFactsOf } from '../../server/responses/index.ts';
import { replaceAggregate } from '../../server/aggregates/index.ts';
import { findQuestions } from '../../server/banks/service.ts';
import { studyDayEnd, studyDayKey, studyDayReader } from '../../server/formatting/index.ts';
import { slotOf } from '../../server/aggregates/fold.ts';

/* History and streaks count the learner's own study days: their time zone and the hour their day starts. */

const NOW = new Date('2030-03-10T12:00:00Z'); // 23:00 on 10 March in Sydney (UTC+11)

let t: TestApp;
let learner: request.Agent;
let userId: string;
before(async () => {
  t = await startTestApp({}, { seed: true });
  t.setNow(NOW);
  learner = await registerAs(t.app, 'Sydney Learner', 'sydney@example.com');
  userId = String((await User.findOne({ email: 'sydney@example.com' }).lean())!._id);
  const [q] = await findQuestions(await shippedBankId());
  const base = {
    userId: new mongoose.Types.ObjectId(userId),
    source: 'practice' as const,
    sourceRef: new mongoose.Types.ObjectId(),
    bankId: new mongoose.Types.ObjectId(await shippedBankId()),
    type: q!.definition.type,
    questionId: new mongoose.Types.ObjectId(q!.id),
    questionKey: q!.key,
    topics: q!.definition.topics,
    passageId: q!.definition.source.passageId,
    score: 1,
    correct: true,
  };
  // One UTC day, 9 March; in Sydney, 12:00 on the 9th and 07:00 on the 10th: two study days.
  await LearnerResponse.create([
    { ...base, answeredAt: new Date('2030-03-09T01:00:00Z') },
    { ...base, answeredAt: new Date('2030-03-09T20:00:00Z') },
  ]);
  await replaceAggregate(userId, [], await answerFactsOf(userId));
});
after(() => t.close());

const streak = (html: string) => Number(/data-testid="streak">(\d+)</.exec(html)![1]);
const historyDays = (html: string) => [...html.matchAll(/<tr><th scope="row">(\d{4}-\d\d-\d\d)<\/th><td>(\d+)<\/td>/g)].map((m) => [m[1], Number(m[2])]);

test("a study day is the local date it starts on, turning over at the learner's hour", () => {
  assert.equal(studyDayKey(new Date('2030-03-09T16:30:00Z'), 'Australia/Sydney', 4), '2030-03-09', '03:30 on the 10th in Sydney is still the 9th');
  assert.equal(studyDayKey(new Date('2030-03-09T17:00:00Z'), 'Australia/Sydney', 4), '2030-03-10');
  assert.equal(studyDayKey(new Date('2030-03-10T03:59:00Z'), 'UTC', 4), '2030-03-09');
  assert.equal(studyDayKey(new Date('2030-03-10T00:00:00Z'), 'UTC', 0), '2030-03-10');
  assert.equal(studyDayEnd('2030-03-09', 'Australia/Sydney', 4).toISOString(), '2030-03-09T17:00:00.000Z', '04:00 on the 10th in Sydney');
  assert.equal(studyDayEnd('2030-03-09', 'UTC', 4).toISOString(), '2030-03-10T04:00:00.000Z');
  // India is UTC+5:30: quarter-hours, not hours, keep such zones exact.
  assert.equal(studyDayKey(new Date('2030-03-09T22:30:00Z'), 'Asia/Kolkata', 4), '2030-03-10');
  assert.equal(studyDayKey(new Date('2030-03-09T22:29:00Z'), 'Asia/Kolkata', 4), '2030-03-09');
});

test('in Sydney the two answers are two study days in a row, the second today', async () => {
  await User.updateOne({ _id: userId }, { $set: { timeZone: 'Australia/Sydney', dayStartHour: 4 } });
  const res = await learner.get('/progress');
  assert.equal(res.status, 200);
  assert.equal(streak(res.text), 2);
  assert.doesNotMatch(res.text, /Study today to keep it going/);
  assert.deepEqual(historyDays(res.text), [
    ['2030-03-10', 1],
    ['2030-03-09', 1],
  ]);
});

test('the same answers read in UTC are one day, yesterday: changing the zone re-counts the history', async () => {
  await User.updateOne({ _id: userId }, { $set: { timeZone: 'UTC', dayStartHour: 0 } });
  const res = await learner.get('/progress');
  assert.equal(streak(res.text), 1);
  assert.match(res.text, /Study today to keep it going/);
  assert.deepEqual(historyDays(res.text), [['2030-03-09', 2]]);
});

test('a quarter-hour of the aggregates lies in one study day, in every zone and day start; the cached reader agrees', () => {
  const zones = Intl.supportedValuesOf('timeZone');
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const from = Date.parse('2020-01-01T00:00:00Z');
  const span = Date.parse('2035-01-01T00:00:00Z') - from;
  const readers = new Map(zones.flatMap((zone) => [0, 4, 23].map((hour) => [`${zone}|${hour}`, studyDayReader(zone, hour)] as const)));
  for (let i = 0; i < 40; i++) {
    const at = new Date(from + Math.floor(random() * span));
    const slotStart = new Date(`${slotOf(at)}:00Z`);
    const slotEnd = new Date(slotStart.getTime() + 15 * 60_000 - 1);
    for (const zone of zones) {
      for (const hour of [0, 4, 23]) {
        const day = studyDayKey(slotStart, zone, hour);
        assert.equal(readers.get(`${zone}|${hour}`)!(slotStart), day, `the reader agrees: ${slotStart.toISOString()} in ${zone} from ${hour}:00`);
        assert.equal(readers.get(`${zone}|${hour}`)!.ofSlot(slotOf(at)), day, `the reader agrees on the slot key: ${slotOf(at)} in ${zone} from ${hour}:00`);
        assert.equal(studyDayKey(at, zone, hour), day, `${at.toISOString()} in ${zone} from ${hour}:00`);
        assert.equal(studyDayKey(slotEnd, zone, hour), day, `${slotEnd.toISOString()} in ${zone} from ${hour}:00`);
      }
    }
  }
});

test("across clock changes the cached reader still names every quarter-hour's study day as luxon does", () => {
  for (const [zone, from] of [
    ['Australia/Sydney', '2030-04-03'],
    ['Europe/London', '2030-03-28'],
    ['America/New_York', '2030-11-01'],
    ['Australia/Lord_Howe', '2030-04-03'],
  ] as const) {
    for (const hour of [0, 2, 4]) {
      const read = studyDayReader(zone, hour);
      for (let ms = Date.parse(`${from}T00:00:00Z`), end = ms + 7 * 86_400_000; ms < end; ms += 15 * 60_000) {
        assert.equal(read(new Date(ms)), studyDayKey(new Date(ms), zone, hour), `${new Date(ms).toISOString()} in ${zone} from ${hour}:00`);
        assert.equal(read.ofSlot(slotOf(new Date(ms))), studyDayKey(new Date(ms), zone, hour), `slot ${slotOf(new Date(ms))} in ${zone} from ${hour}:00`);
      }
    }
  }
});
