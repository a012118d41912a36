import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, registerAs, type TestApp } from '../helpers/test-app.ts';
import { newInstructor, shippedBankId } from '../quizzes/helpers.ts';
import { Bank } from '../../server/banks/model.ts';
import { findQuestions } from '../../server/banks/service.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({}, { seed: true });
});
after(() => t.close());

test('an instructor exports the shipped bank as JSON and GIFT without copying it; a student may not', async () => {
  const teacher = await newInstructor(t.app, 'Exporting Teacher', 'exporter@example.com');
  const id = await shippedBankId();
  const banksBefore = await Bank.countDocuments();
  const list = await teacher.get('/banks');
  assert.match(list.text, new RegExp(`href="/banks/${id}/export.json" download>Export JSON`));
  const json = await teacher.get(`/banks/${id}/export.json`);
  assert.equal(json.status, 200);
  const file = JSON.parse(json.text) as { questions: unknown[] };
  assert.equal(file.questions.length, (await findQuestions(id)).length);
  const gift = await teacher.get(`/banks/${id}/export.gift`);
  assert.equal(gift.status, 200);
  assert.match(gift.text, /exported from Lectern in Moodle's GIFT format/);
  assert.equal(await Bank.countDocuments(), banksBefore, 'no copy was made');

  const student = await registerAs(t.app, 'Curious Student', 'curious-export@example.com');
  assert.equal((await student.get(`/banks/${id}/export.json`)).status, 403);
  // Another instructor's private bank stays closed.
  const privateBank = await Bank.create({
    slug: 'owner-private',
    title: 'Owner private',
    sourceId: (await Bank.findById(id).lean())!.sourceId,
    ownerId: (await Bank.findById(id).lean())!._id,
  });
  assert.equal((await teacher.get(`/banks/${privateBank._id}/export.json`)).status, 403);
});
