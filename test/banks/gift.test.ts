import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportGift, parseGift, type GiftDefaults, type ParseGiftResult } from '../../server/banks/formats/gift/index.ts';
import { questionDefinition, type QuestionDefinition } from '../../server/questions/definition.ts';
import * as q from '../questions/fixtures.ts';

const defaults: GiftDefaults = {
  topics: ['dates-events'],
  difficulty: 'easy',
  source: { passageId: 'intro-1', quote: 'The Shanghai Cooperation Organisation' },
  // The bank's topics: a question tagged with another is refused at its line.
  bankTopics: ['dates-events', 'members'],
};

function questionsOf(result: ParseGiftResult): QuestionDefinition[] {
  if ('errors' in result) assert.fail(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.questions;
}
function errorsOf(result: ParseGiftResult) {
  if (!('errors' in result)) return assert.fail('expected errors');
  return result.errors;
}

const def = (raw: object) => questionDefinition.parse(raw);
const base = {
  topics: ['energy', 'members'],
  difficulty: 'hard',
  source: { passageId: 'energy-2', quote: 'an energy club' },
  explanation: 'Said: {braces}, ~tildes~, = signs, #hashes and a colon: here.\nSecond line.',
};

/** Every GIFT-able shape, with the characters GIFT must escape. */
const originals: QuestionDefinition[] = [
  q.mcq,
  q.multi,
  q.trueFalse,
  q.short,
  q.numeric,
  q.matching,
  q.essay,
  def({ ...base, id: 'bare-essay', prompt: 'Discuss the SCO.', type: 'essay' }),
  def({
    ...base,
    id: 'escapes',
    prompt: 'What is {x} ~ y = z # 1: \\ 2?\nOn two lines.',
    type: 'mcq',
    choices: [
      { id: 'one', text: 'a = b' },
      { id: 'two', text: 'c ~ d {e}' },
      { id: 'x-3', text: 'f#g: h\\i' },
    ],
    answer: 'two',
  }),
  def({
    ...base,
    id: 'missing-word',
    prompt: 'The SCO grew out of the _____ Five.',
    type: 'mcq',
    choices: [
      { id: 'a', text: 'Shanghai' },
      { id: 'b', text: 'Beijing' },
    ],
    answer: 'a',
  }),
  def({
    ...base,
    id: 'one-of-one',
    prompt: 'Which one?',
    type: 'multi',
    choices: [
      { id: 'a', text: 'A' },
      { id: 'b', text: 'B' },
      { id: 'c', text: 'C' },
    ],
    answers: ['c'],
  }),
  def({ ...base, id: 'false-one', prompt: 'India was a member in 2008.', type: 'truefalse', answer: false }),
  def({ ...base, id: 'no-unit', prompt: 'How many members were there?', type: 'numeric', answer: -6.25, tolerance: 0 }),
  def({
    ...base,
    id: 'cloze-mid',
    prompt: 'Complete the sentence.',
    type: 'cloze',
    text: 'The {{1}} Five met in 1996.',
    blanks: [{ answers: ['Shanghai', 'Shang-hai'] }],
  }),
  def({ ...base, id: 'cloze-end', prompt: 'Fill in the blank.', type: 'cloze', text: 'The SCO was founded in {{1}}', blanks: [{ answers: ['2001'] }] }),
];

describe('GIFT round trip', () => {
  it('export then import gives back every GIFT-able question, metadata included', () => {
    const { text, skipped } = exportGift(originals);
    assert.deepEqual(skipped, []);
    const back = questionsOf(parseGift(text));
    assert.equal(back.length, originals.length);
    for (let i = 0; i < originals.length; i++) assert.deepEqual(back[i], originals[i], originals[i]!.id);
  });

  it('skips ordering and multi-blank cloze, saying why', () => {
    const { text, skipped } = exportGift([q.ordering, q.cloze, q.mcq]);
    assert.deepEqual(
      skipped.map((s) => s.id),
      ['timeline', 'cloze-founding'],
    );
    assert.match(skipped[0]!.reason, /ordering/);
    assert.match(skipped[1]!.reason, /one blank/);
    assert.equal(questionsOf(parseGift(text)).length, 1);
  });

  it('skips answers GIFT would misread ("->", a leading %50%) rather than export them wrongly', () => {
    const arrow = def({
      ...base,
      id: 'arrow',
      prompt: 'Which?',
      type: 'mcq',
      choices: [
        { id: 'a', text: 'x -> y' },
        { id: 'b', text: 'z' },
      ],
      answer: 'a',
    });
    const pct = def({ ...base, id: 'pct', prompt: 'Which?', type: 'short', answers: ['%50% off'] });
    assert.deepEqual(
      exportGift([arrow, pct]).skipped.map((s) => s.id),
      ['arrow', 'pct'],
    );
  });

  it('writes readable Moodle GIFT', () => {
    const { text } = exportGift([q.mcq, q.multi, q.numeric]);
    assert.match(text, /^\/\/ lectern: \{"type":"mcq","topics":\["members"\]/);
    assert.match(text, /::founding-city:: In which city was the SCO founded\? \{\n\t~Beijing\n\t=Shanghai\n\t~Moscow\n\t####The paper says so\.\n\}/);
    assert.match(text, /\t~%33\.33333%China\n\t~%33\.33333%Russia\n\t~%-33\.33333%India/);
    assert.match(text, /\t#8:0\.5\n/);
  });
});

describe('parseGift reads Moodle examples', () => {
  const moodle = `// Examples from the Moodle GIFT documentation
::Grant::Who's buried in Grant's tomb?{~Grant's wife ~no one =Grant #Right! ~Napoleon#He was buried in France.}

Grant is buried in Grant's tomb.{F}

The sun rises in the east.{T}

The sun rises in the west.{FALSE#wrong#right####Geography.}

Two plus two equals {=four =4}.

Who's buried in Grant's tomb?{=Grant =Ulysses S. Grant =Ulysses Grant}

Mahatma Gandhi's birthday is an {~15th ~3rd =2nd} of October.

When was Ulysses S. Grant born?{#1822:5}

What is the value of pi (to 3 decimal places)? {#3.141..3.142}

Match the following countries with their corresponding capitals. {
   =Canada -> Ottawa
   =Italy  -> Rome
   =Japan  -> Tokyo
   =India  -> New Delhi
   ####It's good to know the capitals
}

What two people are entombed in Grant's tomb? {
   ~%-100%No one
   ~%50%Grant
   ~%50%Grant's wife
   ~%-100%Grant's father
}

$CATEGORY: tom/x

::Q1\\: colon:: [markdown]1 + 1 \\= 2 \\{honest\\}{T}
`;
  const qs = questionsOf(parseGift(moodle, defaults));

  it('imports all twelve questions with the right types', () => {
    assert.deepEqual(
      qs.map((x) => x.type),
      ['mcq', 'truefalse', 'truefalse', 'truefalse', 'cloze', 'short', 'mcq', 'numeric', 'numeric', 'matching', 'multi', 'truefalse'],
    );
  });
  it('maps each question faithfully', () => {
    const [grant, f, t, west, cloze, short, missing, numeric, range, matching, multi, escaped] = qs;
    assert.deepEqual({ id: grant!.id, prompt: grant!.prompt }, { id: 'grant', prompt: "Who's buried in Grant's tomb?" });
    assert.ok(grant!.type === 'mcq' && grant!.answer === 'c' && grant!.choices[3]!.text === 'Napoleon');
    assert.ok(f!.type === 'truefalse' && f!.answer === false);
    assert.ok(t!.type === 'truefalse' && t!.answer === true);
    assert.equal(west!.explanation, 'Geography.');
    assert.ok(cloze!.type === 'cloze');
    assert.equal(cloze!.text, 'Two plus two equals {{1}}.');
    assert.deepEqual(cloze!.blanks, [{ answers: ['four', '4'] }]);
    assert.ok(short!.type === 'short' && short!.answers.length === 3);
    assert.equal(missing!.prompt, "Mahatma Gandhi's birthday is an _____ of October.");
    assert.ok(missing!.type === 'mcq' && missing!.answer === 'c');
    assert.ok(numeric!.type === 'numeric' && numeric!.answer === 1822 && numeric!.tolerance === 5);
    assert.ok(range!.type === 'numeric');
    assert.ok(Math.abs(range!.answer - 3.1415) < 1e-12 && Math.abs(range!.tolerance - 0.0005) < 1e-12);
    assert.ok(matching!.type === 'matching');
    assert.deepEqual(matching!.pairs[3], { left: 'India', right: 'New Delhi' });
    assert.equal(matching!.explanation, "It's good to know the capitals");
    assert.ok(multi!.type === 'multi');
    assert.deepEqual(multi!.answers, ['b', 'c']);
    assert.deepEqual({ id: escaped!.id, prompt: escaped!.prompt }, { id: 'q1-colon', prompt: '1 + 1 = 2 {honest}' });
  });
  it('fills what GIFT lacks from the defaults, and documents the explanation it makes up', () => {
    assert.deepEqual(qs[1]!.topics, ['dates-events']);
    assert.equal(qs[1]!.difficulty, 'easy');
    assert.deepEqual(qs[1]!.source, defaults.source);
    assert.equal(qs[1]!.explanation, 'The answer is False.');
    const noDifficulty = questionsOf(parseGift('Q?{T}', { topics: ['energy'], source: defaults.source }));
    assert.equal(noDifficulty[0]!.difficulty, 'medium');
  });
  it('gives untitled questions ids from their prompt, kept unique', () => {
    const two = questionsOf(parseGift('Is it?{T}\n\nIs it?{F}', defaults));
    assert.deepEqual(
      two.map((x) => x.id),
      ['is-it', 'is-it-2'],
    );
  });
  it('strips [plain]/[html] markers on choices and short answers', () => {
    const [mc, short] = questionsOf(parseGift('Colour?{=[plain]blue ~[html]red}\n\nWord?{=[plain]word}', defaults));
    assert.deepEqual(
      (mc as { choices: { text: string }[] }).choices.map((c) => c.text),
      ['blue', 'red'],
    );
    assert.match(JSON.stringify(short), /"word"/);
    assert.doesNotMatch(JSON.stringify(short), /\[plain\]/);
  });
  it('strips a format marker on the general feedback', () => {
    assert.equal(questionsOf(parseGift('Q?{T ####[html]Because}', defaults))[0]!.explanation, 'Because');
  });
  it('suffixes duplicate titles as Moodle allows them', () => {
    const two = questionsOf(parseGift('::Same:: A?{T}\n\n::Same:: B?{F}', defaults));
    assert.deepEqual(
      two.map((x) => x.id),
      ['same', 'same-2'],
    );
  });
  it('20,000 duplicate prompts import with unique ids (linear de-duplication)', () => {
    const text = Array.from({ length: 20_000 }, () => 'Is it?{T}').join('\n\n');
    const many = questionsOf(parseGift(text, defaults));
    assert.equal(many.length, 20_000);
    assert.equal(new Set(many.map((x) => x.id)).size, 20_000);
    assert.equal(many[19_999]!.id, 'is-it-20000');
  });
});

describe('parseGift refuses a malformed file whole, naming lines', () => {
  it('an unclosed brace on line 8 and an unknown answer marker on line 10', () => {
    const text = [
      '// a bank', //                               1
      '::ok:: Fine {T}', //                         2
      '', //                                        3
      '::also-ok:: Which? {', //                    4
      '  =a ~b', //                                 5
      '}', //                                       6
      '', //                                        7
      '::broken:: What year? {=2001 ~1996', //      8
      '', //                                        9
      '::odd:: Which? {+right -wrong}', //          10
    ].join('\n');
    const errors = errorsOf(parseGift(text, defaults));
    assert.deepEqual(
      errors.map((e) => e.line),
      [8, 10],
    );
    assert.match(errors[0]!.message, /"\{" is never closed/);
    assert.match(errors[1]!.message, /unknown answer marker "\+"/);
  });

  const table: [string, string, number, RegExp][] = [
    ['no source and no defaults', 'Q?{T}', 1, /no source/],
    ['a description', 'Just text.', 1, /no answer block/],
    ['a stray closing brace', 'Q } ? {T}', 1, /without a "\{"/],
    ['two answer blocks', 'Q {T} and {F}', 1, /second answer block/],
    ['two questions without a blank line', 'Q?{T}\nR?{F}', 2, /separate questions with a blank line/],
    ['bad lectern JSON', '// lectern: {topics}\nQ?{T}', 1, /not valid JSON/],
    ['an unknown lectern key', '// lectern: {"topic":["energy"]}\nQ?{T}', 1, /lectern/],
    ['a topic outside the list', '// lectern: {"topics":["weather"]}\nQ?{T}', 2, /topics/],
    ['metadata for another type', '// lectern: {"type":"mcq"}\nQ?{T}', 2, /says mcq/],
    ['a dangling lectern comment', 'Q?{T}\n\n// lectern: {}', 3, /no question after/],
    ['a non-number', 'Year?{#soon}', 1, /not a number/],
    ['no right answer', 'Q?{~a ~b ~c}', 1, /no right answer/],
    ['a matching distractor', 'Match {=a -> 1 =b -> 2 = -> 3}', 1, /distractors/],
  ];
  for (const [name, text, line, pattern] of table) {
    it(`refuses ${name} at line ${line}`, () => {
      const errors = errorsOf(parseGift(text, name === 'no source and no defaults' ? {} : defaults));
      assert.equal(errors[0]!.line, line, JSON.stringify(errors));
      assert.match(errors[0]!.message, pattern);
    });
  }
  it('refuses a question the schema rejects (eleven choices), at its line, and only that one', () => {
    const errors = errorsOf(parseGift('\n\nQ?{=only ~%0%x}\n\nR?{~a =b ~c ~d ~e ~f ~g ~h ~i ~j ~k}', defaults));
    assert.deepEqual(
      errors.map((e) => e.line),
      [5],
    );
    assert.match(errors[0]!.message, /choices/);
  });
  it('imports nothing when one question of many is wrong', () => {
    const result = parseGift('A?{T}\n\nB?{F}\n\nC?{#x}', defaults);
    assert.ok(!('questions' in result));
  });
});
