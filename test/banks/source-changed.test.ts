import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, postForm, addTopics, type TestApp } from '../helpers/test-app.ts';
import { demoInstructor, post } from '../quizzes/helpers.ts';
import { addSource, addVersion } from '../../server/sources/index.ts';

let t: TestApp;
const SECOND = 'harbour-guide';
const limits = { maxBytes: 1e6, maxPages: 10, maxPassages: 100 };
const v1 =
  'Tides\n\nThe harbour silts up every spring unless the channel is dredged.\n\nBoats wait for the flood before they leave the quay.\n\nPilots board at the outer buoy.\n';
const v2 = 'Tides\n\nThe harbour silts up every spring unless the channel is dredged.\n\nBoats wait for the flood tide before they leave the old stone quay.\n';

before(async () => {
  t = await startTestApp({}, { seed: true });
  await addSource(null, { id: SECOND, title: 'Harbour guide', format: 'text', bytes: new TextEncoder().encode(v1) }, limits);
});
after(() => t.close());

test('after a new version of its source, the bank editor flags "source changed" with old and new text side by side; untouched questions are not flagged', async () => {
  const teacher = await demoInstructor(t.app);
  const created = await postForm(teacher, '/banks', '/banks', { title: 'Harbour bank', sourceId: 'sco-policy-brief' });
  const bankId = /([a-f0-9]{24})$/.exec(created.headers.location!)![1]!;
  await addTopics(teacher, bankId, ['Harbours']);
  assert.equal((await post(teacher, `/banks/${bankId}`, `/banks/${bankId}/sources`, { sourceIds: [SECOND] })).status, 303);
  const tf = (passageId: string, quote: string, prompt: string) => ({
    type: 'truefalse',
    prompt,
    topics: ['harbours'],
    difficulty: 'easy',
    truefalse: 'true',
    passageId: `${SECOND}#${passageId}`,
    quote,
    explanation: 'The guide says so.',
  });
  for (const q of [
    tf('tides-1', 'silts up every spring', 'The harbour silts up.'),
    tf('tides-2', 'leave the quay', 'Boats wait for the flood.'),
    tf('tides-3', 'outer buoy', 'Pilots board at the buoy.'),
  ]) {
    assert.equal((await postForm(teacher, `/banks/${bankId}/questions/new`, `/banks/${bankId}/questions`, q)).status, 302);
  }
  assert.doesNotMatch((await teacher.get(`/banks/${bankId}`)).text, /Source changed/);
  await addVersion(null, SECOND, { format: 'text', bytes: new TextEncoder().encode(v2) }, limits);
  const page = (await teacher.get(`/banks/${bankId}`)).text;
  assert.equal(page.match(/data-source-changed=/g)?.length, 2);
  assert.match(
    page,
    /data-source-changed="changed"[\s\S]*?Before:<\/span> Boats wait for the flood before they leave the quay\.[\s\S]*?Now:<\/span> Boats wait for the flood tide before they leave the old stone quay\./,
  );
  assert.match(page, /data-source-changed="removed"[\s\S]*?Pilots board at the outer buoy\./);
});
