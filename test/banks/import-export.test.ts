import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApp, loginAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import type { QuestionDefinition } from '../../server/questions/definition.ts';

let t: TestApp;
let instructor: request.Agent;
/** A sample of the shipped bank: a few questions of every type. */
let sample: QuestionDefinition[];

before(async () => {
  t = await startTestApp({}, { seed: true });
  const demo = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
  instructor = await loginAs(t.app, demo.email, demo.password);
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  const all = (await Question.find({ bankId: shipped!._id, retired: false }).sort({ key: 1 }).lean()).map((q) => q.definition as QuestionDefinition);
  const byType = new Map<string, QuestionDefinition[]>();
  for (const d of all) byType.set(d.type, [...(byType.get(d.type) ?? []), d]);
  sample = [...byType.values()].flatMap((list) => list.slice(0, 3));
});
after(async () => {
  await t.close();
});

async function newBank(title: string): Promise<string> {
  const res = await postForm(instructor, '/banks', '/banks', { title, sourceId: 'sco-policy-brief' });
  assert.equal(res.status, 302);
  const id = /([a-f0-9]{24})$/.exec(res.headers.location!)![1]!;
  // The new bank has the shipped bank's topics, so the shipped questions can move into it.
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }, { topics: 1 }).lean();
  await Bank.updateOne({ _id: id }, { $set: { topics: shipped!.topics } });
  return id;
}

async function liveDefinitions(bankId: string): Promise<QuestionDefinition[]> {
  return (await Question.find({ bankId, retired: false }).sort({ key: 1 }).lean()).map((q) => q.definition as QuestionDefinition);
}

/** Preview, then confirm with the fields the preview's form carries (read back from its HTML). */
async function importThrough(bankId: string, format: 'json' | 'gift', text: string, extra: Record<string, string> = {}) {
  const page = `/banks/${bankId}/import`;
  const preview = await postForm(instructor, page, page, { format, text, ...extra });
  assert.equal(preview.status, 200, preview.text.slice(0, 2000));
  const form = /<form method="post" action="[^"]+\/import" id="import-commit">([\s\S]*?)<\/form>/.exec(preview.text);
  assert.ok(form, 'the preview offers to import');
  const fields: Record<string, string> = {};
  for (const m of form[1]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]!] = m[2]!.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  assert.equal(fields.commit, '1');
  assert.equal(fields.text, text, 'the preview carries the text unchanged');
  const { _csrf, ...rest } = fields;
  const commit = await instructor
    .post(page)
    .type('form')
    .send({ _csrf, ...rest });
  return { preview, commit };
}

test('JSON: export a bank, import the file into another bank through the preview; the questions are equal', async () => {
  const first = await newBank('JSON source bank');
  const sampleFile = JSON.stringify({ id: 'sample', title: 'Sample', sourceId: 'sco-policy-brief', questions: sample });
  const { preview, commit } = await importThrough(first, 'json', sampleFile);
  assert.match(preview.text, new RegExp(`${sample.length} questions</strong> ready to import`));
  assert.match(preview.text, /3 ordering/);
  assert.equal(await Question.countDocuments({ bankId: first }), sample.length, 'committed');
  assert.equal(commit.status, 302);
  assert.deepEqual(
    await liveDefinitions(first),
    [...sample].sort((a, b) => a.id.localeCompare(b.id)),
  );

  const exported = await instructor.get(`/banks/${first}/export.json`);
  assert.equal(exported.status, 200);
  assert.match(exported.headers['content-disposition']!, /^attachment; filename="?json-source-bank-[a-f0-9]+\.json"?$/);
  const file = JSON.parse(exported.text) as { sourceId: string; questions: QuestionDefinition[] };
  assert.equal(file.sourceId, 'sco-policy-brief');

  const second = await newBank('JSON copy bank');
  await importThrough(second, 'json', exported.text);
  assert.deepEqual(await liveDefinitions(second), await liveDefinitions(first));

  // Importing the same file again: every key is taken, so each question gets a fresh one.
  const { preview: again } = await importThrough(second, 'json', exported.text);
  assert.match(again.text, new RegExp(`${sample.length} get a new key`));
  const keys = (await Question.find({ bankId: second }).lean()).map((q) => q.key);
  assert.equal(new Set(keys).size, sample.length * 2);
  for (const q of await Question.find({ bankId: second }).lean()) assert.equal((q.definition as QuestionDefinition).id, q.key);
});

test('GIFT: HTTP export → import preview → import gives equal questions; what GIFT cannot hold is listed at the top', async () => {
  const first = await newBank('GIFT source bank');
  await importThrough(first, 'json', JSON.stringify(sample));
  const exported = await instructor.get(`/banks/${first}/export.gift`);
  assert.equal(exported.status, 200);
  assert.match(exported.headers['content-disposition']!, /^attachment; filename="?gift-source-bank-[a-f0-9]+\.gift\.txt"?$/);
  const head = exported.text.split('\n\n')[0]!;
  const skippedIds = [...head.matchAll(/^\/\/ {3}([a-z0-9-]+): (.*)$/gm)].map((m) => m[1]!);
  const orderingIds = sample.filter((d) => d.type === 'ordering').map((d) => d.id);
  for (const id of orderingIds) assert.ok(skippedIds.includes(id), `${id} listed as skipped`);
  assert.match(head, /GIFT has no ordering questions/);

  const second = await newBank('GIFT copy bank');
  const { preview } = await importThrough(second, 'gift', exported.text);
  const expected = (await liveDefinitions(first)).filter((d) => !skippedIds.includes(d.id));
  assert.ok(expected.length >= sample.length - 6, `${expected.length} of ${sample.length} travel through GIFT`);
  assert.match(preview.text, new RegExp(`${expected.length} questions</strong> ready to import`));
  assert.deepEqual(await liveDefinitions(second), expected);
});

test('a malformed GIFT import lists every error with its line and writes nothing, even if confirmed', async () => {
  const bankId = await newBank('Malformed GIFT bank');
  const text = [
    '// lectern: {"topics":["members"],"source":{"passageId":"background-1","quote":"Shanghai Five"}}',
    '::one:: Which grouping preceded the SCO? {=Shanghai Five ~ASEAN}',
    '',
    '::two:: A description only, with no answer block',
    '',
    '// lectern: {"topics":["members"],"source":{"passageId":"background-1","quote":"words the paper never says"}}',
    '::three:: True? {T}',
    '',
    '::four:: Unclosed {=a ~b',
  ].join('\n');
  const page = `/banks/${bankId}/import`;
  const preview = await postForm(instructor, page, page, { format: 'gift', text });
  assert.equal(preview.status, 400);
  const errors = [...preview.text.matchAll(/<li><strong>line (\d+)<\/strong>: ([^<]*)<\/li>/g)].map((m) => Number(m[1]));
  assert.ok(errors.includes(4), `line 4 (the description) in ${errors}`);
  assert.ok(errors.includes(9), `line 9 (unclosed) in ${errors}`);
  assert.doesNotMatch(preview.text, /id="import-commit"/);
  // All or nothing stays the default: the one good question is offered apart, beside the list.
  assert.match(preview.text, /<strong>1 question<\/strong> can be imported; <strong>3<\/strong> cannot/);
  assert.match(preview.text, /Import the 1 question that can be imported, skip 3/);
  // The quote problem is found once the syntax is right, still with its line.
  const lines = text.split('\n');
  const quoteOnly = [lines[0], lines[1], '', lines[5], lines[6]].join('\n');
  const second = await postForm(instructor, page, page, { format: 'gift', text: quoteOnly });
  assert.equal(second.status, 400);
  assert.match(second.text, /<li><strong>line 5<\/strong>: the quote is not found verbatim in passage background-1<\/li>/);
  assert.equal((second.text.match(/<li><strong>line/g) ?? []).length, 1);

  const forced = await postForm(instructor, page, page, { format: 'gift', text, commit: '1' });
  assert.equal(forced.status, 400);
  assert.match(forced.text, /Nothing was imported/);
  assert.equal(await Question.countDocuments({ bankId }), 0);
});

test('a JSON import names the question of each error and writes nothing', async () => {
  const bankId = await newBank('Bad JSON bank');
  const page = `/banks/${bankId}/import`;
  const bad = [
    sample[0],
    { ...sample[1], id: 'bad-quote', source: { passageId: 'intro-1', quote: 'not in the paper' } },
    { ...sample[2], id: 'bad-type', type: 'hotspot' },
  ];
  const res = await postForm(instructor, page, page, { format: 'json', text: JSON.stringify(bad) });
  assert.equal(res.status, 400);
  assert.match(res.text, /<strong>bad-quote<\/strong>: the quote is not found verbatim/);
  assert.match(res.text, /<strong>bad-type<\/strong>: /);
  const notJson = await postForm(instructor, page, page, { format: 'json', text: '{"questions": [' });
  assert.equal(notJson.status, 400);
  assert.match(notJson.text, /<strong>file<\/strong>: not valid JSON/);
  const otherSource = await postForm(instructor, page, page, {
    format: 'json',
    text: JSON.stringify({ id: 'x', title: 'X', sourceId: 'another-paper', questions: [] }),
  });
  assert.match(otherSource.text, /this bank&#39;s source is &#34;sco-policy-brief&#34;/);
  const forced = await postForm(instructor, page, page, { format: 'json', text: JSON.stringify(bad), commit: '1' });
  assert.equal(forced.status, 400);
  const empty = await postForm(instructor, page, page, { format: 'xml', text: '' });
  assert.equal(empty.status, 400);
  assert.match(empty.text, /Choose one of the formats listed/);
  assert.equal(await Question.countDocuments({ bankId }), 0);
});

test("plain Moodle GIFT imports with the form's default topic and source; a default quote must be in its passage", async () => {
  const bankId = await newBank('Moodle bank');
  const text = [
    '$CATEGORY: $course$/SCO',
    '',
    '// A question written in Moodle',
    '::Founding year:: In which year was the SCO founded? {#2001}',
    '',
    'The SCO grew out of the {=Shanghai Five} process.',
    '',
    "::Match:: Match the state to the paper's word for it. {=Russia -> Weakened =China -> Focused on growth}",
  ].join('\n');
  const page = `/banks/${bankId}/import`;
  const badDefault = await postForm(instructor, page, page, {
    format: 'gift',
    text,
    defaultTopic: 'members',
    defaultPassageId: 'background-1',
    defaultQuote: 'Not the paper',
  });
  assert.equal(badDefault.status, 400);
  assert.match(badDefault.text, /id="f-defaultQuote-error">The quote must appear word for word/);
  const { commit } = await importThrough(bankId, 'gift', text, { defaultTopic: 'members', defaultPassageId: 'background-1', defaultQuote: 'Shanghai Five' });
  assert.equal(commit.status, 302);
  const defs = await liveDefinitions(bankId);
  assert.deepEqual(defs.map((d) => d.type).sort(), ['cloze', 'matching', 'numeric']);
  for (const d of defs) {
    assert.deepEqual(d.topics, ['members']);
    assert.deepEqual(d.source, { passageId: 'background-1', quote: 'Shanghai Five' });
  }
});

test('the whole shipped bank (over 200 KB of JSON) imports through the form', async () => {
  const bankId = await newBank('Whole bank copy');
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  const all = (await Question.find({ bankId: shipped!._id, retired: false }).sort({ key: 1 }).lean()).map((q) => q.definition as QuestionDefinition);
  const text = JSON.stringify({ id: 'whole', title: 'Whole', sourceId: 'sco-policy-brief', topics: shipped!.topics, questions: all }, null, 2);
  assert.ok(text.length > 200_000, 'larger than the ordinary body limit');
  const { commit } = await importThrough(bankId, 'json', text);
  assert.equal(commit.status, 302);
  assert.equal(await Question.countDocuments({ bankId, retired: false }), all.length);
});

test('a foreign GIFT file: "import the N that can be imported, skip M" imports those and lists the others', async () => {
  const bankId = await newBank('Partial GIFT bank');
  const text = [
    '::good:: Which grouping preceded the SCO? {=Shanghai Five ~ASEAN}', // 1
    '',
    '::description:: Only words, no answer block.', // 3
    '',
    '::half:: Which city? {=Shanghai#Yes. ~%50%Beijing#Close: the secretariat. ~Moscow}', // 5
    '',
    '::bad-number:: Year? {#soon}', // 7
  ].join('\n');
  const page = `/banks/${bankId}/import`;
  const defaults = { defaultTopic: 'members', defaultPassageId: 'background-1', defaultQuote: 'Shanghai Five' };
  const preview = await postForm(instructor, page, page, { format: 'gift', text, ...defaults });
  assert.equal(preview.status, 400);
  assert.match(preview.text, /<strong>2 questions<\/strong> can be imported; <strong>2<\/strong> cannot/);
  assert.match(preview.text, /<li><strong>line 3<\/strong>: no answer block \{…\}: this is a description/);
  assert.match(preview.text, /<li><strong>line 7<\/strong>: &#34;soon&#34; is not a number/);
  const skip = await postForm(instructor, page, page, { format: 'gift', text, ...defaults, commit: '1', skipBad: '1' });
  assert.equal(skip.status, 302, skip.text.slice(0, 500));
  const stored = await liveDefinitions(bankId);
  assert.deepEqual(
    stored.map((d) => d.id),
    ['good', 'half'],
  );
  const half = stored[1]!;
  assert.ok(half.type === 'mcq');
  assert.deepEqual(half.choices[1], { id: 'b', text: 'Beijing', credit: 0.5, feedback: 'Close: the secretariat.' });
  const flashed = await instructor.get(`/banks/${bankId}`);
  assert.match(flashed.text, /Imported 2 questions; skipped 2 that could not be imported/);
});

test('Aiken through the import page: the good questions go in, the bad one is listed by line', async () => {
  const bankId = await newBank('Aiken bank');
  const text = ['Which grouping preceded the SCO?', 'A. ASEAN', 'B. Shanghai Five', 'ANSWER: B', '', 'Broken?', 'A. one', 'ANSWER: A'].join('\n');
  const page = `/banks/${bankId}/import`;
  const defaults = { defaultTopic: 'members', defaultPassageId: 'background-1', defaultQuote: 'Shanghai Five' };
  const preview = await postForm(instructor, page, page, { format: 'aiken', text, ...defaults });
  assert.equal(preview.status, 400);
  assert.match(preview.text, /<li><strong>line 6<\/strong>: a question needs at least two choices/);
  const skip = await postForm(instructor, page, page, { format: 'aiken', text, ...defaults, commit: '1', skipBad: '1' });
  assert.equal(skip.status, 302, skip.text.slice(0, 500));
  const stored = await liveDefinitions(bankId);
  assert.deepEqual(
    stored.map((d) => d.type === 'mcq' && d.answer),
    ['b'],
  );
});
