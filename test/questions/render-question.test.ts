import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import ejs from 'ejs';
import { richTextHelpers } from '../../server/formatting/index.ts';
import { questionDefinition, type QuestionDefinition } from '../../server/questions/definition.ts';
import { answerKeyText } from '../../server/questions/answer-key.ts';
import { gradeResponse } from '../../server/questions/grade-response.ts';
import { opaqueId } from '../../server/questions/opaque-id.ts';
import { parseResponse, type QuestionResponse } from '../../server/questions/parse-response.ts';
import { presentQuestion } from '../../server/questions/present-question.ts';
import * as q from './fixtures.ts';

const view = (name: string) => fileURLToPath(new URL(`../../views/questions/${name}`, import.meta.url));
const render = (locals: Record<string, unknown>) => ejs.renderFile(view('_question.ejs'), { ...richTextHelpers, ...locals });
const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;

/** The fields a browser would submit for the checked/selected/filled controls of a rendered form. */
function submitted(html: string): Record<string, string | string[]> {
  const body: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const prev = body[name];
    body[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  };
  for (const m of html.matchAll(/<input type="(radio|checkbox|text)"[^>]*name="([^"]+)"[^>]*value="([^"]*)"([^>]*)>/g)) {
    if (m[1] === 'text' || m[4]!.includes('checked')) add(m[2]!, m[3]!);
  }
  for (const m of html.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const sel = /<option value="([^"]*)" selected>/.exec(m[2]!);
    add(m[1]!, sel ? sel[1]! : '');
  }
  return body;
}

describe('_question.ejs renders each type as form controls', () => {
  it('mcq: one radio per choice inside a fieldset whose legend is the prompt', async () => {
    const html = await render({ q: presentQuestion(q.mcq) });
    assert.match(html, /<fieldset class="question question-mcq" id="q-founding-city">/);
    assert.match(html, /<legend class="question-prompt">In which city was the SCO founded\?<\/legend>/);
    assert.equal(count(html, /type="radio" [^>]*name="choice"/g), 3);
    assert.match(html, /<input type="radio" id="q-founding-city-1" name="choice" value="b">\s*<label for="q-founding-city-1">Shanghai<\/label>/);
  });
  it('multi: checkboxes named choices', async () => {
    const html = await render({ q: presentQuestion(q.multi) });
    assert.equal(count(html, /type="checkbox" [^>]*name="choices"/g), 5);
  });
  it('truefalse: two radios valued true and false', async () => {
    const html = await render({ q: presentQuestion(q.trueFalse) });
    assert.match(html, /name="value" value="true"/);
    assert.match(html, /name="value" value="false"/);
  });
  it('short: a labelled text input', async () => {
    const html = await render({ q: presentQuestion(q.short) });
    assert.match(html, /<label class="question-answer-label" for="q-turkmen-text">Your answer<\/label>/);
    assert.match(html, /<input type="text" id="q-turkmen-text" name="text"/);
  });
  it('numeric: a decimal input described by its unit', async () => {
    const html = await render({ q: presentQuestion(q.numeric) });
    assert.match(html, /name="value" inputmode="decimal"[^>]*aria-describedby="q-share-unit"/);
    assert.match(html, /<span class="question-unit" id="q-share-unit">%<\/span>/);
  });
  it('cloze: inline inputs with aria-labels between the text pieces', async () => {
    const html = await render({ q: presentQuestion(q.cloze) });
    assert.match(html, /The <input [^>]*name="blank1" aria-label="Blank 1 of 3"[^>]*> Five became the SCO in <input [^>]*name="blank2"/);
    assert.equal(count(html, /class="question-blank"/g), 3);
  });
  it('matching: a select per left offering every right', async () => {
    const html = await render({ q: presentQuestion(q.matching) });
    assert.equal(count(html, /<select [^>]*name="match_[0-9a-f]{10}"/g), 4);
    assert.match(html, new RegExp(`name="match_${opaqueId('China')}"`));
    assert.equal(count(html, new RegExp(`<option value="${opaqueId('Beijing')}"`, 'g')), 4);
  });
  it('ordering: a position select (1..n) per item', async () => {
    const html = await render({ q: presentQuestion(q.ordering) });
    assert.equal(count(html, /<select [^>]*name="position_[0-9a-f]{10}"/g), 5);
    assert.equal(count(html, /<option value="5">5<\/option>/g), 5);
  });
  it('has no inline script or event handler, and honours disabled and idPrefix', async () => {
    for (const def of q.all) {
      const html = await render({ q: presentQuestion(def), disabled: true, idPrefix: 'review-' });
      assert.doesNotMatch(html, /<script|\son[a-z]+=/i);
      assert.match(html, /<fieldset [^>]*id="review-[^"]+" disabled>/);
    }
  });
});

describe('_question.ejs escapes and pre-fills', () => {
  it('escapes HTML in prompts, choices and items', async () => {
    const evil = '<img src=x onerror=alert(1)>"';
    const def = questionDefinition.parse({
      ...q.mcq,
      prompt: `Which? ${evil}`,
      choices: [
        { id: 'a', text: evil },
        { id: 'b', text: 'ok' },
      ],
      answer: 'b',
    });
    const html = await render({ q: presentQuestion(def), response: { type: 'mcq', choice: null } });
    assert.ok(!html.includes('<img'));
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;&#34;/);
    const tricky = await render({ q: presentQuestion(q.short), response: { type: 'short', text: '"><script>x</script>' } });
    assert.ok(!tricky.includes('<script>'));
    assert.match(tricky, /value="&#34;&gt;&lt;script&gt;/);
  });

  // A browser submitting the pre-filled form sends back exactly the response it was filled with.
  const answers: [QuestionDefinition, QuestionResponse][] = [
    [q.mcq, { type: 'mcq', choice: 'c' }],
    [q.multi, { type: 'multi', choices: ['a', 'c'] }],
    [q.trueFalse, { type: 'truefalse', value: false }],
    [q.short, { type: 'short', text: 'Turkmenistan' }],
    [q.numeric, { type: 'numeric', value: 7.5 }],
    [q.cloze, { type: 'cloze', blanks: ['Shanghai', '', '2001'] }],
    [q.matching, { type: 'matching', pairs: { [opaqueId('China')]: opaqueId('Moscow'), [opaqueId('Russia')]: opaqueId('Beijing') } }],
    [q.ordering, { type: 'ordering', order: [...q.ordering.items].reverse().map(opaqueId) }],
  ];
  for (const [def, response] of answers) {
    it(`${def.type}: the pre-filled form round-trips through parseResponse`, async () => {
      const html = await render({ q: presentQuestion(def, () => 0.3), response, namePrefix: 'p-' });
      const parsed = parseResponse(def, submitted(html), { namePrefix: 'p-' });
      assert.deepEqual(parsed, { ok: true, response });
    });
  }
});

describe('_feedback.ejs', () => {
  const renderFeedback = (def: QuestionDefinition, response: QuestionResponse) =>
    ejs.renderFile(view('_feedback.ejs'), {
      ...richTextHelpers,
      result: gradeResponse(def, response),
      keyText: answerKeyText(def),
      explanation: def.explanation,
    });

  it('shows verdict in words and class, the learner answer, the key and the explanation', async () => {
    const html = await renderFeedback(q.mcq, { type: 'mcq', choice: 'a' });
    assert.match(html, /class="feedback feedback-incorrect"/);
    assert.match(html, /<strong>Not quite\.<\/strong>/);
    assert.match(html, /<dd class="feedback-response">Beijing<\/dd>/);
    assert.match(html, /<dd class="feedback-key">Shanghai<\/dd>/);
    assert.match(html, /<div class="feedback-explanation"><p>The paper says so\.<\/p><\/div>/);
  });
  it('marks partial credit and lists the parts', async () => {
    const html = await renderFeedback(q.cloze, { type: 'cloze', blanks: ['Shanghai', '1999', 'Uzbekistan'] });
    assert.match(html, /feedback-partial/);
    assert.match(html, /Partly correct: 2 of 3 blanks\./);
    assert.match(html, /feedback-part-incorrect">Blank 2: wrong/);
  });
  it('escapes what the learner typed', async () => {
    const html = await renderFeedback(q.short, { type: 'short', text: '<b>Turkmenistan</b>' });
    assert.ok(!html.includes('<b>'));
  });
});
