import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gradeResponse } from '../../server/questions/grade-response.ts';
import { opaqueId } from '../../server/questions/opaque-id.ts';
import { blankResponse } from '../../server/questions/parse-response.ts';
import * as q from './fixtures.ts';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

describe('gradeResponse: mcq and true/false', () => {
  const table: [string, string | null, number][] = [
    ['the right choice', 'b', 1],
    ['a wrong choice', 'a', 0],
    ['no choice', null, 0],
  ];
  for (const [name, choice, score] of table) {
    it(`mcq scores ${score} for ${name}`, () => {
      assert.equal(gradeResponse(q.mcq, { type: 'mcq', choice }).score, score);
    });
  }
  it('true/false: right, wrong and blank', () => {
    assert.equal(gradeResponse(q.trueFalse, { type: 'truefalse', value: true }).score, 1);
    assert.equal(gradeResponse(q.trueFalse, { type: 'truefalse', value: false }).score, 0);
    const blank = gradeResponse(q.trueFalse, { type: 'truefalse', value: null });
    assert.equal(blank.score, 0);
    assert.equal(blank.feedback, 'Not answered.');
  });
});

describe('gradeResponse: multi gives Moodle-style partial credit', () => {
  // k = 3 right choices (a, b, d): each right +1/3, each wrong −1/3, clamped to 0..1.
  const table: [string[], number][] = [
    [['a', 'b', 'd'], 1],
    [['a', 'b'], 2 / 3],
    [['a'], 1 / 3],
    [['a', 'b', 'd', 'c'], 2 / 3],
    [['a', 'c'], 0],
    [['c', 'e'], 0], // −2/3 clamps to 0
    [['a', 'b', 'c', 'd', 'e'], 1 / 3], // ticking everything does not pay
    [[], 0],
  ];
  for (const [choices, score] of table) {
    it(`[${choices.join(',')}] scores ${score.toFixed(3)}`, () => {
      const r = gradeResponse(q.multi, { type: 'multi', choices });
      close(r.score, score);
      assert.equal(r.correct, score === 1);
    });
  }
  it('says how much of a partial answer was right', () => {
    assert.equal(gradeResponse(q.multi, { type: 'multi', choices: ['a', 'c'] }).feedback, 'Not quite.');
    assert.equal(gradeResponse(q.multi, { type: 'multi', choices: ['a', 'b', 'c'] }).feedback, 'Partly correct: 2 of 3 right choices selected, 1 wrong.');
  });
});

describe('gradeResponse: short answer normalisation and typos', () => {
  const table: [string, string, number][] = [
    ['exact', 'Türkmenistan', 1],
    ['without diacritics', 'Turkmenistan', 1],
    ['upper case and extra spaces', '  TURKMENISTAN  ', 1],
    ['trailing punctuation', 'Turkmenistan.', 1],
    ['second accepted answer with article dropped', 'Turkmen Republic', 1],
    ['leading article added', 'The Turkmenistan', 1],
    ['curly apostrophe and dash', 'the Turkmen–republic’', 1],
    ['one substitution (≥ 8 letters)', 'Turkmenistun', 1],
    ['one deletion', 'Turkmenstan', 1],
    ['one insertion', 'Turkmenisstan', 1],
    ['one transposition', 'Turkmenitsan', 1],
    ['two typos', 'Turkmenitsun', 0],
    ['another country', 'Uzbekistan', 0],
    ['blank', '', 0],
  ];
  for (const [name, text, score] of table) {
    it(`${name}: "${text}" scores ${score}`, () => {
      assert.equal(gradeResponse(q.short, { type: 'short', text }).score, score);
    });
  }
  it('refuses a typo in an answer under eight letters', () => {
    assert.equal(gradeResponse(q.shortShort, { type: 'short', text: 'iran' }).score, 1);
    assert.equal(gradeResponse(q.shortShort, { type: 'short', text: 'Irn' }).score, 0);
    assert.equal(gradeResponse(q.shortShort, { type: 'short', text: 'Iarn' }).score, 0);
  });
  it('says when a typo was forgiven', () => {
    assert.match(gradeResponse(q.short, { type: 'short', text: 'Turkmenitsan' }).feedback, /typo/);
  });
});

describe('gradeResponse: numeric tolerance', () => {
  // answer 8, tolerance 0.5
  const table: [number, number][] = [
    [8, 1],
    [7.5, 1],
    [8.5, 1],
    [8.49999, 1],
    [7.4999, 0],
    [8.5001, 0],
    [-8, 0],
  ];
  for (const [value, score] of table) {
    it(`${value} scores ${score}`, () => assert.equal(gradeResponse(q.numeric, { type: 'numeric', value }).score, score));
  }
  it('absorbs floating-point error at an exact tolerance of 0', () => {
    const def = { ...q.numeric, answer: 0.3, tolerance: 0 };
    assert.equal(gradeResponse(def, { type: 'numeric', value: 0.1 + 0.2 }).score, 1);
  });
});

describe('gradeResponse: cloze, matching and ordering partial credit', () => {
  const clozeTable: [string[], number, string, boolean[]][] = [
    [['Shanghai', '2001', 'Uzbekistan'], 1, 'Correct.', [true, true, true]],
    [['shanghai', '2001', 'Uzbekistn'], 1, 'Correct.', [true, true, true]],
    [['Shanghai', '2002', 'Uzbekistan'], 2 / 3, 'Partly correct: 2 of 3 blanks.', [true, false, true]],
    [['Beijing', '', ''], 0, 'Not quite.', [false, false, false]],
  ];
  for (const [blanks, score, feedback, parts] of clozeTable) {
    it(`cloze [${blanks.join(' | ')}] scores ${score.toFixed(3)}`, () => {
      const r = gradeResponse(q.cloze, { type: 'cloze', blanks });
      close(r.score, score);
      assert.equal(r.feedback, feedback);
      assert.deepEqual(
        r.parts?.map((p) => p.correct),
        parts,
      );
    });
  }

  const L = (t: string) => opaqueId(t);
  it('matching scores the fraction of lefts matched right', () => {
    const all = Object.fromEntries(q.matching.pairs.map((p) => [L(p.left), L(p.right)]));
    assert.equal(gradeResponse(q.matching, { type: 'matching', pairs: all }).score, 1);
    const swapped = { ...all, [L('China')]: L('Moscow'), [L('Russia')]: L('Beijing') };
    const r = gradeResponse(q.matching, { type: 'matching', pairs: swapped });
    assert.equal(r.score, 0.5);
    assert.equal(r.feedback, 'Partly correct: 2 of 4 pairs.');
    const one = { [L('Kazakhstan')]: L('Astana') };
    assert.equal(gradeResponse(q.matching, { type: 'matching', pairs: one }).score, 0.25);
  });

  // Items A..E in the right order are indices 0..4; score = (LIS − 1)/(n − 1).
  const items = q.ordering.items;
  const orderTable: [number[], number][] = [
    [[0, 1, 2, 3, 4], 1],
    [[1, 0, 2, 3, 4], 3 / 4], // one swap: 4 still in order
    [[4, 0, 1, 2, 3], 3 / 4], // last moved to the front: 4 in order, 0 in place
    [[0, 2, 1, 4, 3], 2 / 4],
    [[4, 3, 2, 1, 0], 0], // reversed
  ];
  for (const [perm, score] of orderTable) {
    it(`ordering [${perm.join(',')}] scores ${score}`, () => {
      const r = gradeResponse(q.ordering, { type: 'ordering', order: perm.map((i) => L(items[i]!)) });
      assert.equal(r.score, score);
      assert.equal(r.correct, score === 1);
      assert.deepEqual(
        r.parts?.map((p) => p.correct),
        perm.map((p, i) => p === i),
      );
    });
  }
});

describe('gradeResponse: unanswered', () => {
  for (const def of q.all) {
    it(`a blank ${def.type} response scores 0 with "Not answered."`, () => {
      const r = gradeResponse(def, blankResponse(def.type));
      assert.equal(r.score, 0);
      assert.equal(r.correct, false);
      assert.equal(r.feedback, 'Not answered.');
      assert.equal(r.responseText, 'Not answered');
    });
  }
  it('a response of another type (the question was edited) scores 0', () => {
    assert.equal(gradeResponse(q.mcq, { type: 'short', text: 'Shanghai' }).score, 0);
  });
});
