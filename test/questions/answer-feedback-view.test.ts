import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import ejs from 'ejs';
import { richTextHelpers } from '../../server/formatting/index.ts';
import { parseGift } from '../../server/banks/formats/gift/index.ts';
import { gradeResponse } from '../../server/questions/grade-response.ts';

const views = path.resolve(import.meta.dirname, '../../views');

test("the feedback a learner sees holds the author's feedback on the answer given, escaped", async () => {
  const parsed = parseGift('Which city? {=Shanghai ~%50%Beijing#Close: <b>the secretariat</b>. ~Moscow#No.}', {
    topics: ['members'],
    source: { passageId: 'intro-1', quote: 'SCO' },
  });
  assert.ok('questions' in parsed);
  const def = parsed.questions[0]!;
  const result = gradeResponse(def, { type: 'mcq', choice: 'b' });
  const html = await ejs.renderFile(
    path.join(views, 'questions/_feedback.ejs'),
    { ...richTextHelpers, result, keyText: 'Shanghai', explanation: 'Because.' },
    { root: views },
  );
  assert.match(html, /class="feedback feedback-partial"/);
  assert.match(html, /Partly correct: 50% of the marks\./);
  assert.match(html, /<p class="feedback-answer">Close: &lt;b&gt;the secretariat&lt;\/b&gt;\.<\/p>/);
  const none = await ejs.renderFile(
    path.join(views, 'questions/_feedback.ejs'),
    { ...richTextHelpers, result: gradeResponse(def, { type: 'mcq', choice: 'a' }), keyText: 'Shanghai' },
    { root: views },
  );
  assert.doesNotMatch(none, /class="feedback-answer"/);
});
