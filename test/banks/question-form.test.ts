import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  definitionToForm,
  emptyQuestionForm,
  formToDefinition,
  readQuestionForm,
  MAX_FORM_FIELD,
  type QuestionFormValues,
} from '../../server/banks/question-form.ts';
import type { QuestionDefinition } from '../../server/questions/definition.ts';
import * as q from '../questions/fixtures.ts';

const meta = {
  prompt: 'According to the paper, which states founded the SCO?',
  topics: ['members', 'dates-events'],
  difficulty: 'easy',
  passageId: 'background-2',
  quote: 'The SCO was founded in 2001',
  explanation: 'The paper lists them.',
};
const form = (fields: Partial<QuestionFormValues>): QuestionFormValues => ({ ...emptyQuestionForm(), ...meta, ...fields });

function definitionOf(f: QuestionFormValues, key = 'q-001', previous?: QuestionDefinition): QuestionDefinition {
  const result = formToDefinition(f, key, previous);
  if (!result.ok) assert.fail(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.definition;
}
function errorsOf(f: QuestionFormValues) {
  const result = formToDefinition(f, 'q-001');
  if (result.ok) return assert.fail('expected errors');
  return result.errors;
}

describe('question form → definition', () => {
  it('reads each type from its compact syntax', () => {
    assert.deepEqual(definitionOf(form({ type: 'mcq', choices: 'China\n*Russia\n  \nIndia\n' })), {
      id: 'q-001',
      ...{ prompt: meta.prompt, topics: meta.topics, difficulty: 'easy', explanation: meta.explanation },
      source: { passageId: 'background-2', quote: meta.quote },
      type: 'mcq',
      choices: [
        { id: 'a', text: 'China' },
        { id: 'b', text: 'Russia' },
        { id: 'c', text: 'India' },
      ],
      answer: 'b',
    });
    const multi = definitionOf(form({ type: 'multi', choices: '*China\n* Russia\nIndia\nIran' }));
    assert.ok(multi.type === 'multi');
    assert.deepEqual(multi.answers, ['a', 'b']);
    assert.equal(multi.choices[1]!.text, 'Russia');
    const tf = definitionOf(form({ type: 'truefalse', truefalse: 'false' }));
    assert.ok(tf.type === 'truefalse' && tf.answer === false);
    const short = definitionOf(form({ type: 'short', answers: 'Shanghai Five\r\nS5\n' }));
    assert.ok(short.type === 'short');
    assert.deepEqual(short.answers, ['Shanghai Five', 'S5']);
    const num = definitionOf(form({ type: 'numeric', numericAnswer: '2,5', tolerance: '', unit: ' % ' }));
    assert.ok(num.type === 'numeric');
    assert.deepEqual([num.answer, num.tolerance, num.unit], [2.5, 0, '%']);
    const cloze = definitionOf(form({ type: 'cloze', clozeText: 'Combating {{1}} and {{2}}.', blanks: 'narcotics | drugs\nterrorism' }));
    assert.ok(cloze.type === 'cloze');
    assert.deepEqual(cloze.blanks, [{ answers: ['narcotics', 'drugs'] }, { answers: ['terrorism'] }]);
    const matching = definitionOf(form({ type: 'matching', pairs: 'Russia -> Weakened\nChina->Growing' }));
    assert.ok(matching.type === 'matching');
    assert.deepEqual(matching.pairs, [
      { left: 'Russia', right: 'Weakened' },
      { left: 'China', right: 'Growing' },
    ]);
    const ordering = definitionOf(form({ type: 'ordering', items: '2001\n2005\n2007' }));
    assert.ok(ordering.type === 'ordering');
    assert.deepEqual(ordering.items, ['2001', '2005', '2007']);
  });

  it('names the field of each mistake, in words', () => {
    assert.match(errorsOf(form({ type: 'hotspot' })).type!, /Choose a question type/);
    assert.match(errorsOf(form({ type: 'mcq', choices: 'A\nB' })).choices!, /Mark the correct choice/);
    assert.match(errorsOf(form({ type: 'mcq', choices: '*A\n*B\nC' })).choices!, /one correct choice/);
    assert.match(errorsOf(form({ type: 'numeric', numericAnswer: 'two' })).numericAnswer!, /as a number/);
    assert.match(errorsOf(form({ type: 'matching', pairs: 'a -> b\nc = d' })).pairs!, /Line 2 has no "->"/);
    assert.match(errorsOf(form({ type: 'cloze', clozeText: 'No marks.', blanks: 'x' })).clozeText!, /\{\{1\}\}/);
    assert.match(errorsOf(form({ type: 'short', answers: 'x', topics: [] })).topics!, /at least one topic/);
    assert.match(errorsOf(form({ type: 'short', answers: 'x', topics: ['Not a topic!'] })).topics!, /from the list/);
    assert.match(errorsOf(form({ type: 'short', answers: 'x', prompt: '  ' })).prompt!, /prompt is required/);
    assert.match(errorsOf(form({ type: 'short', answers: 'x', prompt: 'p'.repeat(2001) })).prompt!, /too long/);
    assert.match(errorsOf(form({ type: 'short', answers: 'x', passageId: 'nope' })).passageId!, /passage/);
    assert.match(errorsOf(form({ type: 'truefalse' })).truefalse!, /true or false/);
    assert.match(errorsOf(form({ type: 'ordering', items: 'a\nb' })).items!, /at least 3/);
  });

  it('reads only strings from a body: operator keys and objects are ignored, long text is flagged', () => {
    const { values, tooLong } = readQuestionForm({
      type: 'short',
      'topics[$ne]': 'x',
      prompt: { $gt: '' },
      topics: ['members', { $ne: 1 }],
      answers: 'a'.repeat(MAX_FORM_FIELD + 5),
    });
    assert.equal(values.prompt, '');
    assert.deepEqual(values.topics, ['members']);
    assert.deepEqual(tooLong, ['answers']);
    assert.equal(values.answers.length, MAX_FORM_FIELD);
    assert.deepEqual(readQuestionForm({ topics: 'energy' }).values.topics, ['energy']);
  });
});

describe('definition ⇄ form', () => {
  it('form → definition → form gives the same form', () => {
    const forms = [
      form({ type: 'mcq', choices: 'China\n*Russia\nIndia' }),
      form({ type: 'multi', choices: '*China\n*Russia\nIndia' }),
      form({ type: 'truefalse', truefalse: 'true' }),
      form({ type: 'short', answers: 'Shanghai Five\nS5' }),
      form({ type: 'numeric', numericAnswer: '42', tolerance: '0.5', unit: 'km' }),
      form({ type: 'cloze', clozeText: 'Combating {{1}} and {{2}}.', blanks: 'narcotics | drugs\nterrorism' }),
      form({ type: 'matching', pairs: 'Russia -> Weakened\nChina -> Growing' }),
      form({ type: 'ordering', items: '2001\n2005\n2007' }),
    ];
    for (const f of forms) assert.deepEqual(definitionToForm(definitionOf(f)), f, f.type);
  });

  it('definition → form → definition gives the same definition, choice ids kept when editing', () => {
    for (const def of q.all) {
      assert.deepEqual(definitionOf(definitionToForm(def), def.id, def), def, def.id);
    }
  });

  it('an edited choice list keeps the ids of unchanged choices and gives new ones free letters', () => {
    const def = definitionOf(form({ type: 'mcq', choices: 'China\n*Russia\nIndia' }));
    const edited = definitionOf(form({ type: 'mcq', choices: 'India\nIran\n*Russia' }), 'q-001', def);
    assert.ok(edited.type === 'mcq');
    assert.deepEqual(edited.choices, [
      { id: 'c', text: 'India' },
      { id: 'a', text: 'Iran' },
      { id: 'b', text: 'Russia' },
    ]);
    assert.equal(edited.answer, 'b');
  });
});

describe('editing a question keeps what the form has no field for (imported from GIFT)', () => {
  const base = {
    id: 'q-001',
    prompt: meta.prompt,
    topics: ['members'],
    difficulty: 'easy',
    source: { passageId: 'background-2', quote: meta.quote },
    explanation: 'Why.',
  };
  it('per-choice feedback and partial credit survive an edit that keeps the choice', () => {
    const previous = {
      ...base,
      type: 'mcq',
      answer: 'a',
      choices: [
        { id: 'a', text: 'China', feedback: 'Yes.' },
        { id: 'b', text: 'Russia', credit: 0.5, feedback: 'Half.' },
        { id: 'c', text: 'India' },
      ],
    } as QuestionDefinition;
    const edited = definitionOf({ ...definitionToForm(previous), prompt: 'Edited?' }, 'q-001', previous);
    assert.ok(edited.type === 'mcq');
    assert.deepEqual(edited.choices, previous.type === 'mcq' ? previous.choices : []);
    assert.equal(edited.prompt, 'Edited?');
  });
  it("a short answer's partial answers, feedback and catch-all survive; feedback on a removed answer goes", () => {
    const previous = {
      ...base,
      type: 'short',
      answers: ['Nazareth', 'Nasareth'],
      partial: [{ answer: 'Bethlehem', credit: 0.25 }],
      feedback: [
        { answer: 'Nazareth', text: 'Yes!' },
        { answer: 'Nasareth', text: 'Spelling.' },
      ],
      otherwise: 'No.',
    } as QuestionDefinition;
    const edited = definitionOf({ ...definitionToForm(previous), answers: 'Nazareth' }, 'q-001', previous);
    assert.ok(edited.type === 'short');
    assert.deepEqual(
      [edited.partial, edited.feedback, edited.otherwise],
      [[{ answer: 'Bethlehem', credit: 0.25 }], [{ answer: 'Nazareth', text: 'Yes!' }], 'No.'],
    );
  });
  it("a numeric question's further ranges and catch-all survive", () => {
    const previous = {
      ...base,
      type: 'numeric',
      answer: 1822,
      tolerance: 0,
      alternatives: [{ answer: 1822, tolerance: 2, credit: 0.5 }],
      otherwise: 'No.',
    } as QuestionDefinition;
    const edited = definitionOf(definitionToForm(previous), 'q-001', previous);
    assert.deepEqual(edited, previous);
  });
});
