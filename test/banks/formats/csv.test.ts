import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type request from 'supertest';
import { startTestApp, loginAs, postForm, type TestApp } from '../../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../../server/accounts/demo-accounts.ts';
import { Question } from '../../../server/banks/model.ts';
import { readCsvQuestions } from '../../../server/banks/formats/csv/index.ts';
import { CSV_TEMPLATE, joinList, splitList } from '../../../server/banks/formats/csv/columns.ts';
import { exportCsvQuestions } from '../../../server/banks/formats/csv/export.ts';
import type { QuestionDefinition } from '../../../server/questions/definition.ts';
import { DEFAULTS, SOURCE, errorLines, importThrough, liveDefinitions, newBank, shippedDefinitions } from './helpers.ts';

const defaults = { topics: ['members'], source: SOURCE, bankTopics: ['members', 'energy'] };

let t: TestApp;
let instructor: request.Agent;
before(async () => {
  t = await startTestApp({}, { seed: true });
  const demo = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
  instructor = await loginAs(t.app, demo.email, demo.password);
});
after(() => t.close());

test('the template in docs/ is the one the import page offers, and every row of it reads', async () => {
  assert.equal(await readFile(new URL('../../../docs/csv-template.csv', import.meta.url), 'utf8'), CSV_TEMPLATE);
  const read = readCsvQuestions(CSV_TEMPLATE, defaults);
  assert.deepEqual(read.errors, []);
  assert.deepEqual(
    read.questions.map((q) => q.definition.type),
    ['mcq', 'multi', 'truefalse', 'short', 'numeric', 'cloze', 'matching', 'ordering', 'card'],
  );
  const [mcq, , , short, , cloze] = read.questions.map((q) => q.definition);
  assert.deepEqual(mcq!.type === 'mcq' && [mcq!.answer, mcq!.choices.map((c) => c.id)], ['a', ['a', 'b', 'c']]);
  assert.deepEqual(short!.type === 'short' && short!.answers, ['heart', 'the heart']);
  assert.deepEqual(cloze!.type === 'cloze' && cloze!.blanks, [{ answers: ['hydrogen'] }, { answers: ['oxygen', 'O'] }]);
});

test('columns in any order and case, semicolons as a spreadsheet writes them, letters for the answer, escaped bars', () => {
  const text = 'Prompt;TYPE;Choices;Answer;Topics\n"Pick one; carefully";mcq;x \\| y | z;B;energy | Members\n';
  const read = readCsvQuestions(text, defaults);
  assert.deepEqual(read.errors, []);
  const def = read.questions[0]!.definition;
  assert.equal(def.prompt, 'Pick one; carefully');
  assert.deepEqual(def.topics, ['energy', 'members']);
  assert.deepEqual(def.type === 'mcq' && [def.choices.map((c) => c.text), def.answer], [['x | y', 'z'], 'b']);
  assert.deepEqual(splitList(joinList(['a|b', 'c'], '|'), '|'), ['a|b', 'c']);
});

test('bad rows are refused with their line and a reason naming the column; a bad header refuses the file', () => {
  const text = [
    'type,prompt,choices,answer,topics,difficulty,passage,quote',
    'mcq,Good?,yes | no,yes,,,,',
    'poem,Write,,,,,,',
    'mcq,Which?,a | b,c,,,,',
    'numeric,How many?,,many,,,,',
    'truefalse,True?,,perhaps,,,,',
    'short,Name it,,,,,,',
    'card,Front,,Back,geography,,,',
    'card,Front,,Back,,extreme,,',
    'card,Front,,Back,,,background-1,',
    '"matching,Pairs,a -> b,,,,,',
    'card,Front 2,,Back,,,,',
  ].join('\n');
  const read = readCsvQuestions(text, defaults);
  assert.deepEqual(
    read.questions.map((q) => q.line),
    [2],
  );
  const byLine = Object.fromEntries(read.errors.map((e) => [e.line, e.message]));
  assert.match(byLine[3]!, /column "type": "poem" is not a type/);
  assert.match(byLine[4]!, /column "answer": "c" is not one of the choices/);
  assert.match(byLine[5]!, /column "answer": "many" is not a number/);
  assert.match(byLine[6]!, /column "answer": write true or false/);
  assert.match(byLine[7]!, /column "answer": /);
  assert.match(byLine[8]!, /column "topics": "geography" is not a topic of this bank/);
  assert.match(byLine[9]!, /column "difficulty"/);
  assert.match(byLine[10]!, /column "quote"/);
  assert.match(byLine[11]!, /never closed/);
  // The unclosed quote runs to the end of the file, so the last row is inside it.
  assert.equal(read.refused, 9);
  assert.match(readCsvQuestions('kind,prompt\nmcq,x', defaults).errors[0]!.message, /^unknown column "kind": the columns are type, id, prompt/);
  assert.equal(readCsvQuestions('kind,prompt\nmcq,x', defaults).errors[0]!.line, 1);
});

test('round trip through the routes: export CSV, import it into another bank, the questions are equal', async () => {
  const all = await shippedDefinitions();
  // Per-answer feedback and partial credit have no column (docs/formats.md): the sample has none.
  const plain = all.filter(
    (d) =>
      !JSON.stringify(d).includes('"feedback') &&
      !JSON.stringify(d).includes('"credit') &&
      !JSON.stringify(d).includes('"partial') &&
      !JSON.stringify(d).includes('"alternatives') &&
      !JSON.stringify(d).includes('"otherwise'),
  );
  const byType = new Map<string, QuestionDefinition[]>();
  for (const d of plain) byType.set(d.type, [...(byType.get(d.type) ?? []), d]);
  const sample = [...byType.values()].flatMap((l) => l.slice(0, 4));
  sample.push({ ...sample[0]!, id: 'a-card', type: 'card', back: 'Back, with "quotes"\nand a line' } as QuestionDefinition);
  assert.ok(byType.size >= 8, 'every authored type');
  const first = await newBank(instructor, 'CSV source');
  await importThrough(instructor, first, { format: 'json', text: JSON.stringify(sample) });
  const csv = await instructor.get(`/banks/${first}/export.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type']!, /^text\/csv/);
  assert.equal(csv.text, exportCsvQuestions(await liveDefinitions(first)));
  const copy = await newBank(instructor, 'CSV copy');
  await importThrough(instructor, copy, { format: 'csv', text: csv.text, ...DEFAULTS });
  assert.deepEqual(await liveDefinitions(copy), await liveDefinitions(first));
});

test('the template downloads from the import page and imports with the defaults; a bad CSV writes nothing', async () => {
  const bankId = await newBank(instructor, 'CSV template bank');
  const page = await instructor.get(`/banks/${bankId}/import`);
  assert.match(page.text, /href="\/banks\/csv-template.csv" download id="csv-template"/);
  const template = await instructor.get('/banks/csv-template.csv');
  assert.equal(template.status, 200);
  assert.match(template.headers['content-disposition']!, /attachment; filename="?lectern-questions-template.csv"?/);
  assert.equal(template.text, CSV_TEMPLATE);
  await importThrough(instructor, bankId, { format: 'csv', text: template.text, ...DEFAULTS });
  assert.equal(await Question.countDocuments({ bankId }), 9);

  const bad = await newBank(instructor, 'Bad CSV bank');
  const url = `/banks/${bad}/import`;
  const text = 'type,prompt,answer\ncard,Front,Back\nmcq,No choices,x\n';
  const preview = await postForm(instructor, url, url, { format: 'csv', text, ...DEFAULTS });
  assert.equal(preview.status, 400);
  assert.deepEqual(
    errorLines(preview.text).map((e) => e.where),
    ['line 3'],
  );
  const forced = await postForm(instructor, url, url, { format: 'csv', text, commit: '1', ...DEFAULTS });
  assert.equal(forced.status, 400);
  assert.equal(await Question.countDocuments({ bankId: bad }), 0);
});
