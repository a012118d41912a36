import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, loginAs, postForm, tokenFor, type TestApp } from '../../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../../server/accounts/demo-accounts.ts';
import { questionDefinition, type QuestionDefinition } from '../../../server/questions/definition.ts';
import { answerKeyText, gradeResponse, parseResponse, presentQuestion } from '../../../server/questions/index.ts';
import { definitionToForm, formToDefinition } from '../../../server/banks/question-form.ts';
import { exportGift } from '../../../server/banks/formats/gift/index.ts';
import { poolOf } from '../../../server/quizzes/service.ts';
import { SOURCE, importThrough, liveDefinitions, newBank } from './helpers.ts';

const card = (id: string, prompt: string, back: string): QuestionDefinition => ({
  id,
  prompt,
  topics: ['members'],
  difficulty: 'medium',
  source: SOURCE,
  explanation: 'From the background section.',
  type: 'card',
  back,
});

let t: TestApp;
let instructor: request.Agent;
before(async () => {
  t = await startTestApp({}, { seed: true });
  const demo = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
  instructor = await loginAs(t.app, demo.email, demo.password);
});
after(() => t.close());

test('a card has a front (its prompt) and a non-empty back; it is self-rated', () => {
  const def = card('sco-origin', 'What preceded the SCO?', 'The Shanghai Five');
  assert.ok(questionDefinition.safeParse(def).success);
  assert.equal(questionDefinition.safeParse({ ...def, back: '  ' }).success, false);
  assert.equal(questionDefinition.safeParse({ ...def, back: 'x'.repeat(2001) }).success, false);
  assert.equal(answerKeyText(def), 'The Shanghai Five');
  // The learner reveals the back: it is part of what a card shows.
  assert.deepEqual(presentQuestion(def), { id: def.id, prompt: def.prompt, type: 'card', back: 'The Shanghai Five' });
  const knew = parseResponse(def, { knew: 'yes' });
  assert.ok(knew.ok);
  assert.equal(gradeResponse(def, knew.response).score, 1);
  const didNot = parseResponse(def, { knew: 'no' });
  assert.ok(didNot.ok);
  assert.equal(gradeResponse(def, didNot.response).score, 0);
  assert.equal(gradeResponse(def, { type: 'card', knew: null }).feedback, 'Not answered.');
  assert.equal(parseResponse(def, { knew: 'maybe' }).ok, false);
  // GIFT has no card: the export lists it with its reason.
  assert.deepEqual(exportGift([def]).skipped, [{ id: 'sco-origin', reason: 'GIFT has no front/back cards' }]);
});

test('the question form reads and writes a card; an empty back is marked on its field', () => {
  const def = card('sco-origin', 'What preceded the SCO?', 'The Shanghai Five');
  const form = definitionToForm(def);
  assert.equal(form.back, 'The Shanghai Five');
  const back = formToDefinition(form, 'sco-origin');
  assert.ok(back.ok);
  assert.deepEqual(back.definition, def);
  const empty = formToDefinition({ ...form, back: '' }, 'sco-origin');
  assert.ok(!empty.ok);
  assert.equal(empty.errors.back, 'The back is required.');
});

test('the editor creates a card; JSON export and import carry it unchanged; a quiz never draws it', async () => {
  const bankId = await newBank(instructor, 'Card bank');
  const page = `/banks/${bankId}/questions/new?type=card`;
  const form = await instructor.get(page);
  assert.match(form.text, /data-for-types="card"/);
  const made = await postForm(instructor, page, `/banks/${bankId}/questions`, {
    type: 'card',
    prompt: 'What preceded the SCO?',
    back: 'The Shanghai Five',
    topics: 'members',
    difficulty: 'medium',
    passageId: SOURCE.passageId,
    quote: SOURCE.quote,
    explanation: 'From the background section.',
  });
  assert.ok([302, 303].includes(made.status), made.text.slice(0, 2000));
  const [stored] = await liveDefinitions(bankId);
  assert.equal(stored!.type, 'card');

  const exported = await instructor.get(`/banks/${bankId}/export.json`);
  const copy = await newBank(instructor, 'Card copy');
  await importThrough(instructor, copy, { format: 'json', text: exported.text });
  assert.deepEqual(await liveDefinitions(copy), await liveDefinitions(bankId));
  assert.deepEqual(await poolOf([copy]), [], "a self-rated card is not in a graded quiz's pool");
});

test('practice shows the front, the back behind "Show the back", then takes the learner\'s own rating', async () => {
  const bankId = await newBank(instructor, 'Card practice');
  await importThrough(instructor, bankId, { format: 'json', text: JSON.stringify([card('origin', 'What preceded the SCO?', 'The Shanghai Five')]) });
  const started = await postForm(instructor, '/practice', '/practice', { bankId, types: 'card', length: '5' });
  assert.equal(started.status, 303, started.text.slice(0, 2000));
  const page = await instructor.get(started.headers.location!);
  assert.match(page.text, /<summary>Show the back<\/summary>\s*<p>The Shanghai Five<\/p>/);
  assert.match(page.text, /name="knew" value="yes"/);
  const questionId = /name="questionId" value="([a-f0-9]{24})"/.exec(page.text)![1]!;
  const _csrf = await tokenFor(instructor, started.headers.location!);
  const bad = await instructor.post(`${started.headers.location!}/answers`).type('form').send({ _csrf, position: '0', questionId, knew: 'perhaps' });
  assert.equal(bad.status, 400);
  const answered = await instructor.post(`${started.headers.location!}/answers`).type('form').send({ _csrf, position: '0', questionId, knew: 'yes' });
  assert.equal(answered.status, 303);
  const feedback = await instructor.get(answered.headers.location!);
  assert.match(feedback.text, /You knew it\./);
  assert.match(feedback.text, /The Shanghai Five/);
});
