import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, loginAs, postForm, type TestApp } from '../../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../../server/accounts/demo-accounts.ts';
import { Question } from '../../../server/banks/model.ts';
import { readAnkiText, exportAnkiText } from '../../../server/banks/formats/anki-text/index.ts';
import { readQuizlet, exportQuizlet, separatorOf } from '../../../server/banks/formats/quizlet/index.ts';
import { DEFAULT_CARD_EXPLANATION } from '../../../server/banks/formats/card.ts';
import type { QuestionDefinition } from '../../../server/questions/definition.ts';
import { richInline } from '../../../server/formatting/rich-text.ts';
import { DEFAULTS, SOURCE, errorLines, hiddenFields, importThrough, liveDefinitions, newBank } from './helpers.ts';

const defaults = { topics: ['members'], source: SOURCE, bankTopics: ['members', 'history'] };
const card = (id: string, prompt: string, back: string, extra: Partial<QuestionDefinition> = {}): QuestionDefinition =>
  ({
    id,
    prompt,
    topics: ['members'],
    difficulty: 'medium',
    source: SOURCE,
    explanation: DEFAULT_CARD_EXPLANATION,
    type: 'card',
    back,
    ...extra,
  }) as QuestionDefinition;

let t: TestApp;
let instructor: request.Agent;
before(async () => {
  t = await startTestApp({}, { seed: true });
  const demo = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
  instructor = await loginAs(t.app, demo.email, demo.password);
});
after(() => t.close());

test('Anki text as Anki writes it: headers, HTML made plain text, quoted fields, tags as topics, guid as id, cloze notes', () => {
  const text = [
    '#separator:tab',
    '#html:true',
    '#notetype column:1',
    '#deck column:2',
    '#tags column:5',
    'Basic\tSCO\tWhat <b>preceded</b> the SCO?\tThe Shanghai Five<br>(1996) &amp; after\thistory leech',
    'Basic\tSCO\t"A ""quoted""\tfront"\t"line one',
    'line two"\t',
    'Cloze\tSCO\t{{c1::Tashkent}} hosts the {{c2::RATS::body}}\tIts anti-terror body.\t',
  ].join('\n');
  const read = readAnkiText(text, defaults);
  assert.deepEqual(read.errors, []);
  const [first, second, cloze] = read.questions.map((q) => q.definition);
  assert.deepEqual({ ...first }, card('what-preceded-the-sco', 'What **preceded** the SCO?', 'The Shanghai Five\n(1996) & after', { topics: ['history'] }));
  assert.equal(read.questions[1]!.line, 7);
  assert.deepEqual([second!.prompt, second!.type === 'card' && second!.back], ['A "quoted" front', 'line one line two'], 'HTML whitespace collapses');
  assert.equal(cloze!.type, 'cloze');
  assert.deepEqual(cloze!.type === 'cloze' && [cloze!.text, cloze!.blanks, cloze!.explanation], [
    '{{1}} hosts the {{2}}',
    [{ answers: ['Tashkent'] }, { answers: ['RATS'] }],
    'Its anti-terror body.',
  ]);
  assert.equal(read.questions[2]!.line, 9);
  // Separators by name, and guessed without a header.
  assert.equal(readAnkiText('#separator:Comma\nfront,back\n', defaults).questions.length, 1);
  assert.equal(readAnkiText('#separator:pipe\nfront|back\n', defaults).questions.length, 1);
  assert.equal(readAnkiText('front;back\n', defaults).questions.length, 1);
});

test('HTML becomes the rich-text subset: script and style dropped with their content, attributes gone, escaped markup stays text', () => {
  const read = readAnkiText(
    '#html:true\n#separator:tab\n<script>alert(1)</script><i onclick="x()">Front</i>\t&lt;img src=x onerror=alert(1)&gt;<style>b{}</style>\n',
    defaults,
  );
  const def = read.questions[0]!.definition;
  assert.equal(def.prompt, '*Front*');
  // Escaped markup is text, and stays text when shown: the renderer escapes it.
  assert.equal(def.type === 'card' && def.back, '<img src=x onerror=alert(1)>');
  assert.doesNotMatch(richInline(def.type === 'card' ? def.back : ''), /<img/);
});

test('bad Anki rows are refused with their line and reason; the others still read', () => {
  const text = [
    '#separator:tab',
    '#html:true',
    'ok\tfine',
    'only one field',
    '"bad"quote\tx',
    'img\t<img src="a.png">',
    'snd\t[sound:a.mp3]',
    '\tno front',
    'ok 2\tfine',
    '"never closed\tx',
    'z\tz',
  ].join('\n');
  const read = readAnkiText(text, defaults);
  // A quote inside an unquoted field is kept, as Anki keeps it (HTML attributes hold them).
  assert.deepEqual(
    read.questions.map((q) => q.definition.prompt),
    ['ok', '"bad"quote', 'ok 2'],
  );
  assert.deepEqual(
    read.errors.map((e) => e.line),
    [4, 6, 7, 8, 10],
  );
  assert.match(read.errors[0]!.message, /one field: is "\\t" the file's separator/);
  assert.match(read.errors[1]!.message, /an image: Lectern stores no files/);
  assert.match(read.errors[2]!.message, /a sound/);
  assert.match(read.errors[3]!.message, /the front \(first field\) is empty/);
  assert.match(read.errors[4]!.message, /never closed/);
  assert.equal(read.refused, 5);
  assert.deepEqual(readAnkiText('#separator:wave\na\tb', defaults).errors, [
    { line: 1, message: 'unknown separator "wave": write tab, comma, semicolon, pipe, space, colon or one character' },
  ]);
  assert.match(readAnkiText('a\tb', { bankTopics: [] }).errors[0]!.message, /no source/);
});

test('Quizlet text with its custom separators; bad rows listed by line', () => {
  assert.equal(separatorOf('tab', ','), '\t');
  assert.equal(separatorOf('', '\n'), '\n');
  assert.equal(separatorOf(' - ', '\n'), ' - ');
  const plain = readQuizlet('Beijing\tcapital of China\nMoscow\tcapital of Russia\n', { term: '\t', row: '\n' }, defaults);
  assert.deepEqual(
    plain.questions.map((q) => [q.definition.prompt, q.definition.type === 'card' && q.definition.back, q.line]),
    [
      ['Beijing', 'capital of China', 1],
      ['Moscow', 'capital of Russia', 2],
    ],
  );
  const custom = readQuizlet('A - first\nline;;\nB - second;;C without;;\n\nD - fourth', { term: ' - ', row: ';;' }, defaults);
  assert.deepEqual(
    custom.questions.map((q) => [q.definition.prompt, q.line]),
    [
      ['A', 1],
      ['B', 3],
      ['D', 5],
    ],
  );
  assert.deepEqual(custom.errors, [{ line: 3, message: 'no " - " between the term and the definition: is that the separator the set was exported with?' }]);
  assert.equal(custom.questions[0]!.definition.type === 'card' && custom.questions[0]!.definition.back, 'first\nline');
  assert.equal(readQuizlet('a,b', { term: ',', row: ',' }, defaults).errors[0]!.message, 'the term separator and the row separator must differ');
});

test('export then import through the routes gives the same cards (Anki text and Quizlet)', async () => {
  const cards = [
    card('what-preceded-the-sco', 'What preceded the SCO?', 'The Shanghai Five'),
    card('sco-seat', 'Where does the SCO sit?', 'Beijing, with a body in "Tashkent"\tand more', {
      explanation: 'Its secretariat and RATS.',
      topics: ['members', 'dates-events'],
    }),
  ];
  const first = await newBank(instructor, 'Anki source');
  await importThrough(instructor, first, { format: 'json', text: JSON.stringify(cards) });
  const anki = await instructor.get(`/banks/${first}/export.anki.txt`);
  assert.equal(anki.status, 200);
  assert.match(anki.headers['content-disposition']!, /^attachment; filename="?anki-source-[a-f0-9]+\.anki\.txt"?$/);
  assert.match(anki.text, /^#separator:tab\n#html:false\n/);
  const copy = await newBank(instructor, 'Anki copy');
  await importThrough(instructor, copy, { format: 'anki', text: anki.text, ...DEFAULTS });
  assert.deepEqual(await liveDefinitions(copy), await liveDefinitions(first));

  const simple = [cards[0]!, card('the-rats', 'The RATS', 'its anti-terror body')];
  const q1 = await newBank(instructor, 'Quizlet source');
  await importThrough(instructor, q1, { format: 'json', text: JSON.stringify(simple) });
  const quizlet = await instructor.get(`/banks/${q1}/export.quizlet.txt`);
  assert.equal(quizlet.text, 'The RATS\tits anti-terror body\nWhat preceded the SCO?\tThe Shanghai Five\n');
  const q2 = await newBank(instructor, 'Quizlet copy');
  await importThrough(instructor, q2, { format: 'quizlet', text: quizlet.text, quizletTerm: 'tab', quizletRow: 'newline', ...DEFAULTS });
  assert.deepEqual(await liveDefinitions(q2), await liveDefinitions(q1));
  // A custom separator travels from the form through the preview to the commit.
  const q3 = await newBank(instructor, 'Quizlet custom');
  await importThrough(instructor, q3, {
    format: 'quizlet',
    text: exportQuizlet(simple, { term: ' = ', row: ';' }),
    quizletTerm: ' = ',
    quizletRow: 'semicolon',
    ...DEFAULTS,
  });
  assert.deepEqual(await liveDefinitions(q3), await liveDefinitions(q1));
  // Other questions go to Anki as their prompt and answer.
  assert.match(exportAnkiText([{ ...cards[0]!, type: 'truefalse', answer: true } as QuestionDefinition], 'D'), /\nWhat preceded the SCO\?\tTrue\t/);
});

test('a bad Anki file previews with lines and reasons, offers the good part, and a forced commit writes nothing', async () => {
  const bankId = await newBank(instructor, 'Bad Anki');
  const page = `/banks/${bankId}/import`;
  const text = '#separator:tab\n#html:true\ngood\tcard\nlonely\n<img src="x.png">\tback\n';
  const preview = await postForm(instructor, page, page, { format: 'anki', text, ...DEFAULTS });
  assert.equal(preview.status, 400);
  assert.deepEqual(
    errorLines(preview.text).map((e) => e.where),
    ['line 4', 'line 5'],
  );
  assert.match(preview.text, /<strong>1 question<\/strong> can be imported; <strong>2<\/strong> cannot/);
  assert.ok(hiddenFields(preview.text, 'import-skip'), 'import the good part, skip the rest');
  const forced = await postForm(instructor, page, page, { format: 'anki', text, commit: '1', ...DEFAULTS });
  assert.equal(forced.status, 400);
  assert.match(forced.text, /Nothing was imported/);
  assert.equal(await Question.countDocuments({ bankId }), 0);
  const skip = await postForm(instructor, page, page, { format: 'anki', text, commit: '1', skipBad: '1', ...DEFAULTS });
  assert.equal(skip.status, 302);
  assert.equal(await Question.countDocuments({ bankId }), 1);
  const badSep = await postForm(instructor, page, page, { format: 'quizlet', text: 'a\tb', quizletTerm: 'x'.repeat(11) });
  assert.equal(badSep.status, 400);
  assert.match(badSep.text, /A separator is at most 10 characters/);
});
