import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportAiken, readAiken } from '../../server/banks/formats/aiken/index.ts';
import type { GiftDefaults } from '../../server/banks/formats/gift/types.ts';
import { questionDefinition } from '../../server/questions/definition.ts';
import * as q from '../questions/fixtures.ts';

const defaults: GiftDefaults = { topics: ['members'], difficulty: 'easy', source: { passageId: 'intro-1', quote: 'The SCO' } };

describe('Aiken import', () => {
  it("reads Moodle's Aiken example: '.' and ')' after the letters, blank lines optional", () => {
    const text = [
      'What is the correct answer to this question?',
      'A. Is it this one?',
      'B. Maybe this answer?',
      'C. Possibly this one?',
      'D. Must be this one!',
      'ANSWER: D',
      'Which LMS has the most quiz import formats?',
      'A) Moodle',
      'B) Another',
      'ANSWER: A',
    ].join('\n');
    const read = readAiken(text, defaults);
    assert.deepEqual(read.errors, []);
    assert.deepEqual(
      read.questions.map((x) => x.line),
      [1, 7],
    );
    const [first, second] = read.questions.map((x) => x.definition);
    assert.ok(first!.type === 'mcq' && second!.type === 'mcq');
    assert.equal(first!.answer, 'd');
    assert.deepEqual(
      first!.choices.map((c) => c.id),
      ['a', 'b', 'c', 'd'],
    );
    assert.equal(second!.prompt, 'Which LMS has the most quiz import formats?');
    assert.deepEqual(second!.choices, [
      { id: 'a', text: 'Moodle' },
      { id: 'b', text: 'Another' },
    ]);
    assert.equal(first!.id, 'what-is-the-correct-answer-to-this-question');
  });

  it('refuses each bad question at its line, with what is wrong, and keeps the good ones', () => {
    const text = [
      'Good?',
      'A. yes',
      'B. no',
      'ANSWER: A',
      '', // 1-5
      'Skips a letter?',
      'A. one',
      'C. three',
      'ANSWER: A',
      '', // 6-10
      'Answer not a choice?',
      'A. one',
      'B. two',
      'ANSWER: E',
      '', // 11-15
      'One choice?',
      'A. only',
      'ANSWER: A',
      '', // 16-19
      'No answer line?',
      'A. one',
      'B. two',
      '', // 20-23
      'Also good?',
      'A. yes',
      'B. no',
      'ANSWER: b', // 24-27
    ].join('\n');
    const read = readAiken(text, defaults);
    assert.deepEqual(
      read.questions.map((x) => x.definition.prompt),
      ['Good?', 'Also good?'],
    );
    assert.equal(read.refused, 4);
    assert.deepEqual(
      read.errors.map((e) => e.line),
      [8, 14, 16, 20],
    );
    assert.match(read.errors[0]!.message, /choice C where B was expected/);
    assert.match(read.errors[1]!.message, /the answer E is not one of the choices \(A, B\)/);
    assert.match(read.errors[2]!.message, /at least two choices/);
    assert.match(read.errors[3]!.message, /no "ANSWER: letter" line/);
  });

  it('needs a default source and topic, which Aiken cannot carry', () => {
    const read = readAiken('Q?\nA. a\nB. b\nANSWER: A', {});
    assert.equal(read.questions.length, 0);
    assert.match(read.errors[0]!.message, /no source/);
  });
});

describe('Aiken export', () => {
  const mcqs = [
    questionDefinition.parse({
      ...q.mcq,
      id: 'what-city',
      prompt: 'What city?',
      choices: [
        { id: 'a', text: 'Beijing' },
        { id: 'b', text: 'Shanghai' },
      ],
      answer: 'b',
      ...defaults,
      explanation: 'The answer is Shanghai.',
    }),
  ];
  it('round-trips single-answer multiple choice (export, import, equal)', () => {
    const { text, skipped } = exportAiken(mcqs);
    assert.deepEqual(skipped, []);
    assert.equal(text, 'What city?\nA. Beijing\nB. Shanghai\nANSWER: B\n');
    const back = readAiken(text, { ...defaults });
    assert.deepEqual(
      back.questions.map((x) => x.definition),
      mcqs,
    );
  });
  it('lists what Aiken cannot hold, with the reason', () => {
    const { skipped } = exportAiken([q.multi, q.trueFalse, q.short]);
    assert.equal(skipped.length, 3);
    assert.match(skipped[0]!.reason, /single-answer multiple choice only/);
  });
});
