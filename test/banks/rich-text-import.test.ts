/**
 * Rich text from every import path reaches learners only through the sanitiser: questions whose
 * prompts, choices, items and explanations carry scripts, event attributes and unsafe links are
 * imported as JSON, GIFT ([html], [markdown], plain) and Aiken, then shown as learners see them
 * (the question preview, and its feedback after answering): nothing that runs survives, and the
 * Markdown subset does render.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, loginAs, postForm, type TestApp } from '../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import type { QuestionDefinition } from '../../server/questions/definition.ts';
import { assertNothingRuns } from '../helpers/harmless.ts';

let t: TestApp;
let instructor: request.Agent;
before(async () => {
  t = await startTestApp({}, { seed: true });
  const demo = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
  instructor = await loginAs(t.app, demo.email, demo.password);
});
after(() => t.close());

const DEFAULTS = { defaultTopic: 'members', defaultPassageId: 'background-1', defaultQuote: 'Shanghai Five' };
const SCRIPT = '<script>alert(1)</script>';

async function newBank(title: string): Promise<string> {
  const res = await postForm(instructor, '/banks', '/banks', { title, sourceId: 'sco-policy-brief' });
  const id = /([a-f0-9]{24})$/.exec(res.headers.location!)![1]!;
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }, { topics: 1 }).lean();
  await Bank.updateOne({ _id: id }, { $set: { topics: shipped!.topics } });
  return id;
}

/** Previews then commits an import, as the page's two steps do. */
async function importText(bankId: string, format: string, text: string): Promise<void> {
  const page = `/banks/${bankId}/import`;
  const preview = await postForm(instructor, page, page, { format, text, ...DEFAULTS });
  assert.equal(preview.status, 200, preview.text.slice(preview.text.indexOf('<main'), preview.text.indexOf('</main>')));
  const commit = await postForm(instructor, page, page, { format, text, ...DEFAULTS, commit: '1' });
  assert.equal(commit.status, 302, commit.text.slice(0, 1500));
}

/** Every question of the bank as learners see it, before and after answering; returns the pages' question parts. */
async function learnerViews(bankId: string): Promise<string[]> {
  const pages: string[] = [];
  for (const q of await Question.find({ bankId, retired: false }).lean()) {
    const url = `/banks/${bankId}/questions/${String(q._id)}/preview`;
    const shown = await instructor.get(url);
    assert.equal(shown.status, 200);
    const answered = await postForm(instructor, url, url, { 'preview-choice': '0', 'preview-truefalse': 'true' });
    assert.ok(answered.status < 500, String(answered.status));
    for (const res of [shown, answered]) pages.push(/<section class="question-preview">([\s\S]*?)<\/section>/.exec(res.text)![1]!);
  }
  return pages;
}

test('GIFT with [html], [markdown] and plain attacks in prompts, choices, feedback and explanations renders harmless', async () => {
  const bankId = await newBank('GIFT attacks');
  const gift = [
    `::g1:: [html]<p onclick="steal()">Which is <b>right</b>? ${SCRIPT}</p> {=[html]<img src\\=x onerror\\=alert(1)>Shanghai ~[markdown][Moscow](javascript:alert(1)) ~<svg onload\\=alert(1)> ####[html]<a href\\="javascript:alert(1)">Because</a> the *paper* says so.}`,
    `::g2:: [markdown]**Bold** prompt with [a link](https://example.org) and \`code\` {T ####- one\n- two}`,
  ].join('\n\n');
  await importText(bankId, 'gift', gift);
  const stored = (await Question.find({ bankId }).lean()).map((q) => q.definition as QuestionDefinition);
  assert.equal(stored.length, 2);
  // [html] becomes the Markdown subset: the words and emphasis kept, the rest dropped.
  const g1 = stored.find((d) => d.id === 'g1') as QuestionDefinition & { choices: { text: string }[] };
  assert.equal(g1.prompt, 'Which is **right**?');
  assert.equal(g1.choices[0]!.text, 'Shanghai');
  // Asterisks in HTML are text, so they stay literal (escaped) in Markdown.
  assert.equal(g1.explanation, 'Because the \\*paper\\* says so.');
  const pages = await learnerViews(bankId);
  for (const html of pages) assertNothingRuns(html);
  const all = pages.join('\n');
  assert.match(
    all,
    /<strong>Bold<\/strong> prompt with <a href="https:\/\/example.org" rel="nofollow noopener noreferrer">a link<\/a> and <code>code<\/code>/,
    'the Markdown subset renders',
  );
  assert.doesNotMatch(all, /<script|<img|<svg|javascript:alert\(1\)"/i);
});

test('Aiken and JSON with attacks in every text field render harmless', async () => {
  const aikenBank = await newBank('Aiken attacks');
  await importText(
    aikenBank,
    'aiken',
    `What is ${SCRIPT} the SCO?\nA. <img src=x onerror=alert(1)>\nB. [x](javascript:alert(1))\nC. <a href="javascript:alert(1)">c</a>\nANSWER: A\n`,
  );
  for (const html of await learnerViews(aikenBank)) assertNothingRuns(html);

  const jsonBank = await newBank('JSON attacks');
  const [template] = (await Question.find({ bankId: aikenBank }).lean()).map((q) => q.definition as QuestionDefinition);
  const attacked = {
    ...template!,
    id: 'json-attack',
    prompt: `**Which?** ${SCRIPT}`,
    explanation: `<style>*{display:none}</style>[x](JaVaScRiPt:alert(1)) <iframe src=//evil>`,
  } as QuestionDefinition;
  const withChoices = attacked as QuestionDefinition & { choices?: { text: string }[] };
  withChoices.choices = withChoices.choices?.map((c, i) => (i === 0 ? { ...c, text: `<svg onload=alert(1)>${c.text}` } : c));
  assert.ok(withChoices.choices?.length, 'the template has choices to attack');
  await importText(jsonBank, 'json', JSON.stringify({ id: 'attacks', title: 'Attacks', sourceId: 'sco-policy-brief', questions: [attacked] }));
  const pages = await learnerViews(jsonBank);
  for (const html of pages) assertNothingRuns(html);
  assert.match(pages.join('\n'), /<strong>Which\?<\/strong>/);
});
