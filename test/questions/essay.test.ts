import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerKeyText, gradeResponse, parseResponse, presentQuestion, questionDefinition, wordCount } from '../../server/questions/index.ts';
import { parseGift, readGift } from '../../server/banks/formats/gift/index.ts';
import { exportGift } from '../../server/banks/formats/gift/index.ts';
import { emptyQuestionForm, formToDefinition } from '../../server/banks/question-form.ts';
import { essay } from './fixtures.ts';

const gifted = { topics: ['members'], source: { passageId: 'background-3', quote: 'The SCO was founded in 2001.' } };

describe('essay questions', () => {
  it('present the prompt, the mark and the word limit, never the rubric or the model answer', () => {
    const shown = presentQuestion(essay);
    assert.deepEqual(shown, { id: essay.id, prompt: essay.prompt, type: 'essay', maxMark: 20, wordLimit: 50 });
    assert.doesNotMatch(JSON.stringify(shown), /Border security|settle borders/);
  });

  it('count words as a reader does and refuse an essay over the limit, saying by how much', () => {
    assert.equal(wordCount('  One, two —  three\nfour. '), 4);
    const ok = parseResponse(essay, { text: 'word '.repeat(50) });
    assert.ok(ok.ok && ok.response.type === 'essay' && wordCount(ok.response.text) === 50);
    const over = parseResponse(essay, { text: 'word '.repeat(53) });
    assert.ok(!over.ok);
    assert.match(over.error, /53 words; the limit is 50\. Shorten it by 3/);
    const huge = parseResponse({ ...essay, wordLimit: undefined }, { text: 'x'.repeat(20_001) });
    assert.ok(!huge.ok && /longer than 20000 characters/.test(huge.error));
  });

  it('keep line breaks and are pending, not 0, when graded from a key', () => {
    const parsed = parseResponse(essay, { text: 'First.\r\nSecond.' });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.response, { type: 'essay', text: 'First.\nSecond.' });
    const graded = gradeResponse(essay, parsed.response);
    assert.equal(graded.pending, true);
    assert.match(graded.feedback, /marked by your instructor/);
  });

  it('show the model answer as their key (the review decides when)', () => {
    assert.equal(answerKeyText(essay), essay.modelAnswer);
    const bare = questionDefinition.parse({ ...essay, rubric: undefined, modelAnswer: undefined });
    assert.match(answerKeyText(bare), /instructor/);
  });

  it('validate their marking: a mark of 1..100 (10 by default), a word limit of 1..3000', () => {
    const bare = questionDefinition.parse({ ...essay, maxMark: undefined, wordLimit: undefined });
    assert.ok(bare.type === 'essay' && bare.maxMark === 10 && bare.wordLimit === undefined);
    assert.equal(questionDefinition.safeParse({ ...essay, maxMark: 0 }).success, false);
    assert.equal(questionDefinition.safeParse({ ...essay, wordLimit: 5000 }).success, false);
  });
});

describe('essays in GIFT', () => {
  it('import {} as an essay out of 10, with the general feedback as the explanation', () => {
    const result = parseGift('::e1:: Discuss the SCO. {}\n\n::e2:: Why? {####Because of the borders.}', gifted);
    assert.ok('questions' in result, JSON.stringify(result));
    const [a, b] = result.questions;
    assert.ok(a!.type === 'essay' && a!.maxMark === 10 && a!.wordLimit === undefined);
    assert.equal(a!.prompt, 'Discuss the SCO.');
    assert.equal(b!.explanation, 'Because of the borders.');
  });

  it('export an essay as {} with its marking in the lectern comment, and read it back the same', () => {
    const { text, skipped } = exportGift([essay]);
    assert.deepEqual(skipped, []);
    assert.match(text, /Why was the SCO founded, according to the paper\? \{\n\t####/);
    assert.match(text, /"essay":\{"maxMark":20,"wordLimit":50/);
    const back = readGift(text);
    assert.deepEqual(
      back.questions.map((q) => q.definition),
      [essay],
    );
  });

  it('refuse a lectern comment with a bad essay mark, at its line', () => {
    const read = readGift(`// lectern: {"essay":{"maxMark":0}}\nDiscuss. {}`, gifted);
    assert.equal(read.questions.length, 0);
    assert.match(read.errors[0]!.message, /maxMark/);
  });
});

describe('the essay in the question form', () => {
  const form = (over: Partial<ReturnType<typeof emptyQuestionForm>>) => ({
    ...emptyQuestionForm('essay'),
    prompt: 'Discuss.',
    topics: ['members'],
    passageId: 'background-3',
    quote: 'The SCO was founded in 2001.',
    explanation: 'See the paper.',
    ...over,
  });
  it('builds an essay with its mark, word limit, rubric and model answer', () => {
    const r = formToDefinition(form({ maxMark: '25', wordLimit: '300', rubric: 'Two points.', modelAnswer: 'A model.' }), 'q-e');
    assert.ok(r.ok);
    assert.deepEqual({ ...r.definition }, { ...r.definition, type: 'essay', maxMark: 25, wordLimit: 300, rubric: 'Two points.', modelAnswer: 'A model.' });
  });
  it('names the field of a bad mark or word limit', () => {
    const r = formToDefinition(form({ maxMark: 'ten', wordLimit: '-4' }), 'q-e');
    assert.ok(!r.ok);
    assert.match(r.errors.maxMark!, /1 to 100/);
    assert.match(r.errors.wordLimit!, /1 to 3000/);
  });
});
