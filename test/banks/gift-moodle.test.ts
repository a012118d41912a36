import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportGift, parseGift, readGift, type GiftDefaults } from '../../server/banks/formats/gift/index.ts';
import type { QuestionDefinition } from '../../server/questions/definition.ts';
import { gradeResponse } from '../../server/questions/grade-response.ts';

/**
 * GIFT as Moodle documents it (docs.moodle.org/en/GIFT_format) and as Moodle's own exporter
 * writes it: one sample per feature, each with the parse Lectern must give.
 */
const defaults: GiftDefaults = { topics: ['members'], source: { passageId: 'intro-1', quote: 'The SCO' } };

function one(text: string): QuestionDefinition {
  const result = parseGift(text, defaults);
  if ('errors' in result) assert.fail(`${text}\n→ ${JSON.stringify(result.errors)}`);
  assert.equal(result.questions.length, 1);
  return result.questions[0]!;
}

/** The parts of a definition a sample checks: everything but the shared metadata. */
function body(def: QuestionDefinition): Record<string, unknown> {
  const { id: _id, topics: _t, difficulty: _d, source: _s, explanation: _e, ...rest } = def as QuestionDefinition & Record<string, unknown>;
  return rest;
}

const samples: [string, string, Record<string, unknown>][] = [
  [
    'multiple choice',
    "Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}",
    {
      prompt: "Who's buried in Grant's tomb?",
      type: 'mcq',
      answer: 'c',
      choices: [
        { id: 'a', text: 'Grant' },
        { id: 'b', text: 'Jefferson' },
        { id: 'c', text: 'no one' },
      ],
    },
  ],
  [
    'missing word',
    "Grant is {~buried =entombed ~living} in Grant's tomb.",
    {
      prompt: "Grant is _____ in Grant's tomb.",
      type: 'mcq',
      answer: 'b',
      choices: [
        { id: 'a', text: 'buried' },
        { id: 'b', text: 'entombed' },
        { id: 'c', text: 'living' },
      ],
    },
  ],
  [
    'answers on their own lines, indented',
    'The holiday falls on the {\n    ~second\n    ~third\n    =fourth\n} Thursday of November.',
    {
      prompt: 'The holiday falls on the _____ Thursday of November.',
      type: 'mcq',
      answer: 'c',
      choices: [
        { id: 'a', text: 'second' },
        { id: 'b', text: 'third' },
        { id: 'c', text: 'fourth' },
      ],
    },
  ],
  ['short answer', "Who's buried in Grant's tomb?{=no one =nobody}", { prompt: "Who's buried in Grant's tomb?", type: 'short', answers: ['no one', 'nobody'] }],
  [
    'short answer in a sentence (cloze)',
    'Two plus two equals {=four =4}.',
    { prompt: 'Fill in the blank.', type: 'cloze', text: 'Two plus two equals {{1}}.', blanks: [{ answers: ['four', '4'] }] },
  ],
  ['true', 'The sun rises in the east.{T}', { prompt: 'The sun rises in the east.', type: 'truefalse', answer: true }],
  ['FALSE spelled out', "Grant is buried in Grant's tomb.{FALSE}", { prompt: "Grant is buried in Grant's tomb.", type: 'truefalse', answer: false }],
  [
    'matching',
    'Match the countries with their capitals. {\n =Canada -> Ottawa\n =Italy -> Rome\n =Japan -> Tokyo\n}',
    {
      prompt: 'Match the countries with their capitals.',
      type: 'matching',
      pairs: [
        { left: 'Canada', right: 'Ottawa' },
        { left: 'Italy', right: 'Rome' },
        { left: 'Japan', right: 'Tokyo' },
      ],
    },
  ],
  ['numeric with a margin', 'When was Grant born?{#1822:5}', { prompt: 'When was Grant born?', type: 'numeric', answer: 1822, tolerance: 5 }],
  ['numeric range', 'Pi to 3 places? {#3.141..3.142}', { prompt: 'Pi to 3 places?', type: 'numeric', answer: 3.1415, tolerance: 0.0005 }],
  [
    'several numeric answers with partial credit',
    'When was Grant born? {# =1822:0 =%50%1822:2}',
    { prompt: 'When was Grant born?', type: 'numeric', answer: 1822, tolerance: 0, alternatives: [{ answer: 1822, tolerance: 2, credit: 0.5 }] },
  ],
  [
    'numeric catch-all',
    'A number from 1 to 5? {#3:2 ~#Completely wrong}',
    { prompt: 'A number from 1 to 5?', type: 'numeric', answer: 3, tolerance: 2, otherwise: 'Completely wrong' },
  ],
  [
    'numeric range with a catch-all',
    'A number from 1 to 5? {#1..5 ~#Outside the range}',
    { prompt: 'A number from 1 to 5?', type: 'numeric', answer: 3, tolerance: 2, otherwise: 'Outside the range' },
  ],
  [
    "Moodle's exporter's multi-line numeric",
    '::Q5::A number from 1 to 5?{#\n\t=%100%3:2#Well done\n\t=%50%3:3#Close\n\t~#Completely wrong\n}',
    {
      prompt: 'A number from 1 to 5?',
      type: 'numeric',
      answer: 3,
      tolerance: 2,
      feedback: 'Well done',
      alternatives: [{ answer: 3, tolerance: 3, credit: 0.5, feedback: 'Close' }],
      otherwise: 'Completely wrong',
    },
  ],
  ['numeric answer feedback', 'Year?{#1822#Right, 1822.}', { prompt: 'Year?', type: 'numeric', answer: 1822, tolerance: 0, feedback: 'Right, 1822.' }],
  [
    'per-answer feedback on choices',
    "What's between orange and green? {=yellow#right; good! ~red#wrong, it's yellow ~blue#wrong, it's yellow}",
    {
      prompt: "What's between orange and green?",
      type: 'mcq',
      answer: 'a',
      choices: [
        { id: 'a', text: 'yellow', feedback: 'right; good!' },
        { id: 'b', text: 'red', feedback: "wrong, it's yellow" },
        { id: 'c', text: 'blue', feedback: "wrong, it's yellow" },
      ],
    },
  ],
  [
    'true/false feedback (wrong first, then right)',
    "Grant is buried in Grant's tomb.{FALSE#No one is buried there.#Right.}",
    { prompt: "Grant is buried in Grant's tomb.", type: 'truefalse', answer: false, feedbackTrue: 'No one is buried there.', feedbackFalse: 'Right.' },
  ],
  [
    'partial credit on a single-answer choice',
    'Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}',
    {
      prompt: 'Difficult question.',
      type: 'mcq',
      answer: 'c',
      choices: [
        { id: 'a', text: 'wrong answer' },
        { id: 'b', text: 'half credit answer', credit: 0.5 },
        { id: 'c', text: 'full credit answer' },
      ],
    },
  ],
  [
    'two full-credit "=" among "~"',
    'Q?{=a =b ~c}',
    {
      prompt: 'Q?',
      type: 'mcq',
      answer: 'a',
      choices: [
        { id: 'a', text: 'a' },
        { id: 'b', text: 'b', credit: 1 },
        { id: 'c', text: 'c' },
      ],
    },
  ],
  [
    'partial credit on a short answer, with feedback',
    '::Hometown::Where was he from? {=Nazareth#Yes! =%75%Nazareth, Galilee#Be more specific. =%25%Bethlehem#Born there, not raised.}',
    {
      prompt: 'Where was he from?',
      type: 'short',
      answers: ['Nazareth'],
      feedback: [{ answer: 'Nazareth', text: 'Yes!' }],
      partial: [
        { answer: 'Nazareth, Galilee', credit: 0.75, feedback: 'Be more specific.' },
        { answer: 'Bethlehem', credit: 0.25, feedback: 'Born there, not raised.' },
      ],
    },
  ],
  [
    'short answer catch-all "*"',
    'Capital of France?{=Paris =%0%*#Think of the Eiffel Tower.}',
    { prompt: 'Capital of France?', type: 'short', answers: ['Paris'], otherwise: 'Think of the Eiffel Tower.' },
  ],
  [
    'multiple right answers',
    "Who is entombed in Grant's tomb? {~%-100%No one ~%50%Grant ~%50%Grant's wife ~%-100%Grant's father}",
    {
      prompt: "Who is entombed in Grant's tomb?",
      type: 'multi',
      answers: ['b', 'c'],
      choices: [
        { id: 'a', text: 'No one' },
        { id: 'b', text: 'Grant' },
        { id: 'c', text: "Grant's wife" },
        { id: 'd', text: "Grant's father" },
      ],
    },
  ],
  [
    'escaped special characters',
    'Which answer equals 5? { ~ \\= 2 + 2 = \\= 2 + 3 ~ \\= 2 + 4 }',
    {
      prompt: 'Which answer equals 5?',
      type: 'mcq',
      answer: 'b',
      choices: [
        { id: 'a', text: '= 2 + 2' },
        { id: 'b', text: '= 2 + 3' },
        { id: 'c', text: '= 2 + 4' },
      ],
    },
  ],
  [
    'format markers on text, answers and feedback',
    '::Colour::[markdown]Which colour?{=[plain]blue#[html]Right ~[moodle]red}',
    {
      prompt: 'Which colour?',
      type: 'mcq',
      answer: 'a',
      choices: [
        { id: 'a', text: 'blue', feedback: 'Right' },
        { id: 'b', text: 'red' },
      ],
    },
  ],
  [
    'a comment and a category before the question',
    '// a comment\n$CATEGORY: $course$/top/Default\n::T::Is it?{T}',
    { prompt: 'Is it?', type: 'truefalse', answer: true },
  ],
];

describe("GIFT samples from Moodle's documentation parse as Moodle reads them", () => {
  for (const [name, text, expected] of samples) {
    it(name, () => assert.deepEqual(body(one(text)), expected));
  }
  it('general feedback becomes the explanation', () => {
    assert.equal(one('How many? {#2 ####Two, as the text says.}').explanation, 'Two, as the text says.');
  });
  it('a question title becomes its id, and duplicate titles are suffixed', () => {
    const r = parseGift('::Kanji Origins::From which country? {=China ~India}\n\n::Kanji Origins::Again? {T}', defaults);
    assert.ok('questions' in r);
    assert.deepEqual(
      r.questions.map((q) => q.id),
      ['kanji-origins', 'kanji-origins-2'],
    );
  });
});

describe('what the per-answer weights and feedback do when graded', () => {
  it('a half-credit choice earns half the marks and shows its feedback', () => {
    const def = one('Q?{=right ~%50%half#Nearly. ~wrong#No.}');
    const half = gradeResponse(def, { type: 'mcq', choice: 'b' });
    assert.equal(half.score, 0.5);
    assert.equal(half.answerFeedback, 'Nearly.');
    assert.equal(gradeResponse(def, { type: 'mcq', choice: 'c' }).answerFeedback, 'No.');
  });
  it('a partial short answer earns its credit; anything else gets the catch-all', () => {
    const def = one('Where? {=Nazareth#Yes! =%25%Bethlehem#Born there. =%0%*#No.}');
    assert.deepEqual(
      [gradeResponse(def, { type: 'short', text: 'nazareth' }).score, gradeResponse(def, { type: 'short', text: 'Bethlehem' }).score],
      [1, 0.25],
    );
    assert.equal(gradeResponse(def, { type: 'short', text: 'Nazareth' }).answerFeedback, 'Yes!');
    assert.equal(gradeResponse(def, { type: 'short', text: 'Rome' }).answerFeedback, 'No.');
  });
  it('a numeric answer in the wider range earns its credit; outside every range, the catch-all', () => {
    const def = one('Year? {#\n=%100%1822:0#Exactly.\n=%50%1822:2#Close.\n~#Completely wrong\n}');
    const grade = (value: number) => gradeResponse(def, { type: 'numeric', value });
    assert.deepEqual([grade(1822).score, grade(1823).score, grade(1900).score], [1, 0.5, 0]);
    assert.deepEqual([grade(1822).answerFeedback, grade(1823).answerFeedback, grade(1900).answerFeedback], ['Exactly.', 'Close.', 'Completely wrong']);
  });
  it('true/false feedback follows the answer given', () => {
    const def = one('Grant is buried there.{F#No one is.#Right.}');
    assert.equal(gradeResponse(def, { type: 'truefalse', value: true }).answerFeedback, 'No one is.');
    assert.equal(gradeResponse(def, { type: 'truefalse', value: false }).answerFeedback, 'Right.');
  });
});

describe('GIFT export keeps weights and feedback, in the form Moodle writes', () => {
  const rich = [
    one('Q?{=right#Yes. ~%50%half#Nearly. ~wrong}'),
    one('F?{F#No one is.#Right.}'),
    one('Where? {=Nazareth#Yes! =%25%Bethlehem#Born there. =%0%*#No.}'),
    one('Year? {#\n=%100%1822:0#Exactly.\n=%50%1822:2#Close.\n~#Completely wrong\n}'),
    one('Pick two.{~%50%a#A. ~%50%b ~%-50%c ~%-50%d}'),
  ];
  it('round-trips every weight and feedback', () => {
    const { text, skipped } = exportGift(rich);
    assert.deepEqual(skipped, []);
    const back = parseGift(text);
    assert.ok('questions' in back, JSON.stringify(back));
    assert.deepEqual(back.questions, rich);
  });
  it("writes a several-answer question's wrong choices as ~%-{100/k}% and a numeric in Moodle's multi-line form", () => {
    const { text } = exportGift(rich);
    assert.match(text, /\t~%50%a#A\.\n\t~%50%b\n\t~%-50%c\n\t~%-50%d\n/);
    assert.match(text, /\t#\n\t=%100%1822:0#Exactly\.\n\t=%50%1822:2#Close\.\n\t~#Completely wrong\n/);
    assert.match(text, /\tFALSE#No one is\.#Right\.\n/);
    assert.match(text, /\t=%0%\*#No\.\n/);
  });
});

describe('a foreign file: what can be imported, and why the rest cannot', () => {
  const file = ['Good?{T}', '', 'Write an essay.{}', '', 'Also good?{=yes ~no}', '', 'Just a description.', '', 'Year?{#soon}'].join('\n');
  it('reads the questions that can be imported (the essay {} among them) and lists each other one with its line and reason', () => {
    const read = readGift(file, defaults);
    assert.deepEqual(
      read.questions.map((q) => [q.line, q.definition.prompt, q.definition.type]),
      [
        [1, 'Good?', 'truefalse'],
        [3, 'Write an essay.', 'essay'],
        [5, 'Also good?', 'mcq'],
      ],
    );
    assert.equal(read.refused, 2);
    assert.deepEqual(
      read.errors.map((e) => e.line),
      [7, 9],
    );
    assert.match(read.errors[0]!.message, /description/);
    assert.match(read.errors[1]!.message, /"soon" is not a number/);
  });
  it('all-or-nothing parse refuses the same file whole', () => {
    assert.ok('errors' in parseGift(file, defaults));
  });
  it('messages say what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['Q?{#=%50%3}', /no numeric answer earns full marks/],
      ['Q?{#3 ~#a ~#b}', /one catch-all/],
      ['Q?{#3 ~4}', /catch-all for every other number/],
      ['Q?{#5..1}', /runs backwards/],
      ['Q?{=%50%a =%25%b}', /no short answer earns full marks/],
      ['Q?{=%200%a ~b}', /outside -100\.\.100/],
      ['Q?{=*}', /"\*" accepts anything/],
    ];
    for (const [text, pattern] of cases) {
      const r = parseGift(text, defaults);
      assert.ok('errors' in r, text);
      assert.match(r.errors[0]!.message, pattern, text);
    }
  });
});
