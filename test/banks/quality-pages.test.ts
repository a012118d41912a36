/**
 * Where authors see the item-quality report: the bank's report page (editors only), the import
 * preview, and a question's own flags on its form after saving.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, loginAs, registerAs, postForm, type TestApp, addTopics } from '../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { User } from '../../server/accounts/model.ts';
import { Bank, Question } from '../../server/banks/model.ts';

let t: TestApp;
let instructor: request.Agent;
let student: request.Agent;
let rival: request.Agent;
let bankId: string;

const demo = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;

/** A matching question with three pairs: an error (the last pair is forced). */
const fewPairs = {
  id: 'few-pairs-1',
  type: 'matching',
  prompt: 'Match each place to the member state the paper links it with.',
  topics: ['members'],
  difficulty: 'easy',
  level: 'recall',
  pairs: [
    { left: 'Chechnya', right: 'Russia' },
    { left: 'Xinjiang', right: 'China' },
    { left: 'Andijan', right: 'Uzbekistan' },
  ],
  source: { passageId: 'background-1', quote: 'after the five participants' },
  explanation: 'Each region is a separatist worry of its state.',
};

before(async () => {
  t = await startTestApp({}, { seed: true });
  instructor = await loginAs(t.app, demo('instructor').email, demo('instructor').password);
  student = await loginAs(t.app, demo('student').email, demo('student').password);
  rival = await registerAs(t.app, 'Rival Author', 'rival-quality@example.test');
  await User.updateOne({ email: 'rival-quality@example.test' }, { $set: { role: 'instructor' } });
  const res = await postForm(instructor, '/banks', '/banks', { title: 'Quality bank', description: '', sourceId: 'sco-policy-brief' });
  bankId = /([a-f0-9]{24})$/.exec(res.headers.location!)![1]!;
  await addTopics(instructor, bankId, ['Members', 'Dates events', 'Energy', 'Analogies', 'Institutions']);
});
after(async () => {
  await t.close();
});

test('the import preview shows the quality report of what is about to be imported', async () => {
  const page = `/banks/${bankId}/import`;
  const preview = await postForm(instructor, page, page, { format: 'json', text: JSON.stringify([fewPairs]) });
  assert.equal(preview.status, 200, preview.text.slice(0, 300));
  const section = /<section class="import-quality"[\s\S]*?<\/section>/.exec(preview.text)?.[0] ?? '';
  assert.match(section, /1 error/);
  assert.match(section, /data-flag-code="few-pairs"/);
  assert.match(section, /understand or apply: 0%/);
  const commit = await postForm(instructor, page, page, { format: 'json', text: JSON.stringify([fewPairs]), commit: '1' });
  assert.equal(commit.status, 302);
});

test('the bank’s report page lists figures and each flag linked to its question’s edit form', async () => {
  const q = await Question.findOne({ bankId, key: 'few-pairs-1' }).lean();
  const res = await instructor.get(`/banks/${bankId}/quality`);
  assert.equal(res.status, 200);
  assert.match(res.text, /id="quality-figures"/);
  assert.match(res.text, /recall 1, understand 0, apply 0, untagged 0/);
  assert.match(
    res.text,
    new RegExp(`data-flag-code="few-pairs" data-question-key="few-pairs-1">[\\s\\S]*?href="/banks/${bankId}/questions/${String(q!._id)}/edit"`),
  );
  assert.match((await instructor.get(`/banks/${bankId}`)).text, new RegExp(`href="/banks/${bankId}/quality"`));
});

test('only an instructor who may edit the bank sees its report', async () => {
  assert.equal((await student.get(`/banks/${bankId}/quality`)).status, 403);
  assert.equal((await rival.get(`/banks/${bankId}/quality`)).status, 403);
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  assert.equal((await instructor.get(`/banks/${String(shipped!._id)}/quality`)).status, 403, 'the shipped bank is edited by admins only');
  assert.equal((await instructor.get('/banks/not-an-id/quality')).status, 400);
});

test('saving a question leads to its form, which shows its own flags; fixing the flaw clears them', async () => {
  const q = await Question.findOne({ bankId, key: 'few-pairs-1' }).lean();
  const edit = `/banks/${bankId}/questions/${String(q!._id)}/edit`;
  const before = await instructor.get(edit);
  assert.match(before.text, /id="question-quality"[\s\S]*data-flag-code="few-pairs"/);
  const form = {
    type: 'matching',
    prompt: fewPairs.prompt,
    topics: 'members',
    difficulty: 'easy',
    level: 'understand',
    passageId: 'background-1',
    quote: fewPairs.source.quote,
    explanation: fewPairs.explanation,
    pairs: 'Chechnya -> Russia\nXinjiang -> China\nAndijan -> Uzbekistan\nManas -> Kyrgyzstan',
    version: '1',
  };
  const saved = await postForm(instructor, edit, `/banks/${bankId}/questions/${String(q!._id)}`, form);
  assert.equal(saved.status, 302, saved.text.slice(0, 300));
  assert.equal(saved.headers.location, edit);
  const after = await instructor.get(edit);
  assert.match(after.text, /id="question-quality"/);
  assert.doesNotMatch(after.text, /data-flag-code="few-pairs"/);
  assert.match(after.text, /<option value="understand" selected>/);
  const stored = await Question.findOne({ _id: q!._id }).lean();
  assert.equal((stored!.definition as { level?: string }).level, 'understand');
});

test('a new question typed with straight quote marks is accepted against the paper’s curly ones, and stored as the paper prints it', async () => {
  const page = `/banks/${bankId}/questions/new`;
  const res = await postForm(instructor, page, `/banks/${bankId}/questions`, {
    type: 'short',
    prompt: 'What did the heads of state agree to create?',
    topics: 'energy',
    difficulty: 'easy',
    level: '',
    passageId: 'intro-1',
    quote: "the group's heads of state agreed to create a unified energy market",
    explanation: 'The summit agreed on an energy market.',
    answers: 'unified energy market',
  });
  assert.equal(res.status, 302, res.text.slice(0, 400));
  assert.match(res.headers.location!, new RegExp(`^/banks/${bankId}/questions/[a-f0-9]{24}/edit$`));
  const stored = await Question.findOne({ bankId, type: 'short' }).lean();
  assert.equal((stored!.definition as { source: { quote: string } }).source.quote, 'the group’s heads of state agreed to create a unified energy market');
});
