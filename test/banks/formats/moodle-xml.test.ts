import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, loginAs, postForm, type TestApp } from '../../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../../server/accounts/demo-accounts.ts';
import { Question } from '../../../server/banks/model.ts';
import { readMoodleXml, exportMoodleXml } from '../../../server/banks/formats/moodle-xml/index.ts';
import type { QuestionDefinition } from '../../../server/questions/definition.ts';
import { DEFAULTS, SOURCE, errorLines, importThrough, liveDefinitions, newBank, shippedDefinitions } from './helpers.ts';

const defaults = { topics: ['members'], source: SOURCE, bankTopics: ['members', 'energy'] };
const base = { topics: ['members'], difficulty: 'medium' as const, source: SOURCE, explanation: 'Because the paper says so.' };

let t: TestApp;
let instructor: request.Agent;
before(async () => {
  t = await startTestApp({}, { seed: true });
  const demo = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
  instructor = await loginAs(t.app, demo.email, demo.password);
});
after(() => t.close());

/** A file as Moodle's own exporter writes it (HTML text in CDATA, categories, tags), with what Lectern cannot take. */
const MOODLE_FILE = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category><text>$course$/top/SCO</text></category>
  </question>
  <question type="multichoice">
    <name><text>Grouping</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which grouping <b>preceded</b> the SCO?<script>alert(1)</script></p>]]></text></questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>It was the Shanghai&nbsp;Five.</p>]]></text></generalfeedback>
    <single>true</single>
    <answer fraction="100" format="html"><text>Shanghai Five</text><feedback format="html"><text>Right.</text></feedback></answer>
    <answer fraction="50" format="html"><text>Shanghai 5</text></answer>
    <answer fraction="0" format="html"><text><![CDATA[<i onmouseover="x()">ASEAN</i>]]></text></answer>
    <tags><tag><text>energy</text></tag><tag><text>not-a-topic</text></tag></tags>
  </question>
  <question type="truefalse">
    <name><text>Founded</text></name>
    <questiontext format="moodle_auto_format"><text>The SCO was founded in 2001.</text></questiontext>
    <answer fraction="100"><text>true</text><feedback><text>Yes.</text></feedback></answer>
    <answer fraction="0"><text>false</text><feedback><text>No, it was.</text></feedback></answer>
  </question>
  <question type="description">
    <name><text>Intro</text></name>
    <questiontext format="html"><text>Read the paper first.</text></questiontext>
  </question>
  <question type="essay">
    <name><text>Essay</text></name>
    <questiontext format="html"><text>Discuss.</text></questiontext>
  </question>
  <question type="shortanswer">
    <name><text>Picture</text></name>
    <questiontext format="html"><text><![CDATA[<p>Who is this? <img src="@@PLUGINFILE@@/face.png"></p>]]></text>
      <file name="face.png" path="/" encoding="base64">iVBORw0KGgo=</file></questiontext>
    <answer fraction="100"><text>Putin</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>Linked image</text></name>
    <questiontext format="html"><text><![CDATA[<p>Who? <img src="https://example.org/a.png"></p>]]></text></questiontext>
    <answer fraction="100"><text>Xi</text></answer>
  </question>
  <question type="calculated">
    <name><text>Formula</text></name>
    <questiontext format="html"><text>{a} + {b}?</text></questiontext>
  </question>
  <question type="cloze">
    <name><text>Blanks</text></name>
    <questiontext format="html"><text><![CDATA[<p>The {1:SHORTANSWER:=Shanghai Five~=Shanghai 5#ok} grew into the SCO in {1:SA:=2001}.</p>]]></text></questiontext>
  </question>
  <question type="cloze">
    <name><text>Choice blank</text></name>
    <questiontext format="html"><text>Pick {1:MULTICHOICE:=a~b}.</text></questiontext>
  </question>
  <question type="matching">
    <name><text>Distractor</text></name>
    <questiontext format="html"><text>Match.</text></questiontext>
    <subquestion format="html"><text>A</text><answer><text>1</text></answer></subquestion>
    <subquestion format="html"><text>B</text><answer><text>2</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>3</text></answer></subquestion>
  </question>
</quiz>
`;

test('a file as Moodle writes it: HTML made the rich-text subset, tags as topics, and each question Lectern cannot take listed by line', () => {
  const read = readMoodleXml(MOODLE_FILE, defaults);
  const [mcq, tf, essay, cloze] = read.questions.map((q) => q.definition);
  assert.deepEqual(essay && [essay.type, essay.prompt], ['essay', 'Discuss.'], "Moodle's essay is an essay, marked by hand");
  assert.deepEqual(mcq, {
    ...base,
    id: 'grouping',
    topics: ['energy'],
    prompt: 'Which grouping **preceded** the SCO?',
    explanation: 'It was the Shanghai\u00a0Five.'.replace('\u00a0', ' '),
    type: 'mcq',
    choices: [
      { id: 'a', text: 'Shanghai Five', feedback: 'Right.' },
      { id: 'b', text: 'Shanghai 5', credit: 0.5 },
      { id: 'c', text: '*ASEAN*' },
    ],
    answer: 'a',
  });
  assert.deepEqual(tf!.type === 'truefalse' && [tf!.answer, tf!.feedbackTrue, tf!.feedbackFalse], [true, 'Yes.', 'No, it was.']);
  assert.deepEqual(cloze!.type === 'cloze' && [cloze!.text, cloze!.blanks], [
    'The {{1}} grew into the SCO in {{2}}.',
    [{ answers: ['Shanghai Five', 'Shanghai 5'] }, { answers: ['2001'] }],
  ]);
  assert.deepEqual(
    read.questions.map((q) => q.line),
    [7, 17, 27, 46],
  );
  const byLine = Object.fromEntries(read.errors.map((e) => [e.line, e.message]));
  assert.deepEqual(Object.keys(byLine).map(Number), [23, 31, 37, 42, 50, 54]);
  assert.match(byLine[23]!, /a description is text, not a question: skipped/);
  assert.match(byLine[31]!, /carries a file \(face\.png\): Lectern stores no files/);
  assert.match(byLine[37]!, /holds an image/);
  assert.match(byLine[42]!, /"calculated" questions have no Lectern type/);
  assert.match(byLine[50]!, /embedded MULTICHOICE answer/);
  assert.match(byLine[54]!, /distractors/);
  assert.equal(read.refused, 6);
});

test('XML bombs, external entities and malformed XML refuse the whole file at their line', () => {
  const bomb =
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n<quiz>&lol2;</quiz>';
  assert.deepEqual(
    readMoodleXml(bomb, defaults).errors.map((e) => e.line),
    [2],
  );
  assert.match(readMoodleXml(bomb, defaults).errors[0]!.message, /DOCTYPE or entities/);
  const xxe = '<?xml version="1.0"?>\n\n<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>';
  assert.equal(readMoodleXml(xxe, defaults).errors[0]!.line, 3);
  const broken = '<quiz>\n<question type="truefalse">\n<name><text>x</text></name>\n</quiz>';
  const err = readMoodleXml(broken, defaults).errors[0]!;
  assert.match(err.message, /not well-formed XML/);
  assert.equal(err.line, 4);
  assert.match(readMoodleXml('<questions/>', defaults).errors[0]!.message, /inside <quiz>/);
});

test('round trip through the routes: every type, with feedback, partial credit and cards, exported and imported equal', async () => {
  const all = await shippedDefinitions();
  const byType = new Map<string, QuestionDefinition[]>();
  for (const d of all) byType.set(d.type, [...(byType.get(d.type) ?? []), d]);
  const sample: QuestionDefinition[] = [
    ...[...byType.values()].flatMap((l) => l.slice(0, 4)),
    {
      ...base,
      id: 'an-essay',
      prompt: 'Discuss the group',
      type: 'essay',
      maxMark: 5,
      wordLimit: 200,
      rubric: 'Two points',
      modelAnswer: 'It regulates rivalry.',
    },
    { ...base, id: 'a-card', prompt: 'Shanghai Five -- what?', type: 'card', back: 'The group the SCO grew from <b>not bold</b>' },
    {
      ...base,
      id: 'credit',
      prompt: 'Pick',
      type: 'mcq',
      choices: [
        { id: 'x', text: 'One', feedback: 'Yes' },
        { id: 'y', text: 'Two', credit: 0.3333333 },
      ],
      answer: 'x',
    },
    {
      ...base,
      id: 'short-extras',
      prompt: 'Name',
      type: 'short',
      answers: ['Shanghai'],
      partial: [{ answer: 'Shang', credit: 0.5, feedback: 'Nearly' }],
      feedback: [{ answer: 'Shanghai', text: 'Yes' }],
      otherwise: 'No',
    },
    {
      ...base,
      id: 'numeric-extras',
      prompt: 'Year?',
      type: 'numeric',
      answer: 2001,
      tolerance: 0,
      unit: 'AD',
      feedback: 'Yes',
      alternatives: [{ answer: 2000, tolerance: 1, credit: 0.5 }],
      otherwise: 'No',
    },
    { ...base, id: 'cloze-escapes', prompt: 'Complete it.', type: 'cloze', text: 'A {{1}} b', blanks: [{ answers: ['x}y#z~w/"\\'] }] },
  ] as QuestionDefinition[];
  assert.ok(byType.size >= 8);
  const first = await newBank(instructor, 'Moodle source');
  await importThrough(instructor, first, { format: 'json', text: JSON.stringify(sample) });
  const xml = await instructor.get(`/banks/${first}/export.moodle.xml`);
  assert.equal(xml.status, 200);
  assert.match(xml.headers['content-type']!, /^application\/xml/);
  assert.match(xml.text, /<question type="ordering">/);
  assert.match(xml.text, /<question type="essay">/);
  assert.equal(xml.text, exportMoodleXml(await liveDefinitions(first), 'Moodle source'));
  const copy = await newBank(instructor, 'Moodle copy');
  await importThrough(instructor, copy, { format: 'moodle', text: xml.text, ...DEFAULTS });
  assert.deepEqual(await liveDefinitions(copy), await liveDefinitions(first));
});

test('a refused Moodle file writes nothing; script in HTML never reaches the preview page', async () => {
  const bankId = await newBank(instructor, 'Bad Moodle');
  const page = `/banks/${bankId}/import`;
  const preview = await postForm(instructor, page, page, { format: 'moodle', text: MOODLE_FILE, ...DEFAULTS });
  assert.equal(preview.status, 400);
  assert.equal(errorLines(preview.text).length, 6);
  // The file itself comes back escaped in the form's fields; no markup of it is live on the page.
  assert.doesNotMatch(preview.text.replace(/<(textarea|input)[^>]*>[^<]*/g, ''), /<script>alert|<i onmouseover|<b>preceded/);
  assert.match(preview.text, /Which grouping \*\*preceded\*\* the SCO\?/);
  const forced = await postForm(instructor, page, page, { format: 'moodle', text: MOODLE_FILE, commit: '1', ...DEFAULTS });
  assert.equal(forced.status, 400);
  assert.equal(await Question.countDocuments({ bankId }), 0);
  const skipped = await postForm(instructor, page, page, { format: 'moodle', text: MOODLE_FILE, commit: '1', skipBad: '1', ...DEFAULTS });
  assert.equal(skipped.status, 302);
  assert.equal(await Question.countDocuments({ bankId }), 4);
  const bank = await instructor.get(`/banks/${bankId}`);
  assert.doesNotMatch(bank.text, /<script>alert|onmouseover/);
});
