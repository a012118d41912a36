import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApp, loginAs, type TestApp } from '../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { findQuestions } from '../../server/banks/service.ts';
import { Bank } from '../../server/banks/model.ts';
import { highlightQuote } from '../../server/sources/highlight.ts';
import { seedDatabase } from '../../seed/seed-database.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({}, { seed: true });
});
after(() => t.close());

test('highlightQuote marks the first verbatim occurrence and nothing when absent', () => {
  assert.deepEqual(highlightQuote('one two three', 'two'), [
    { text: 'one ', mark: false },
    { text: 'two', mark: true },
    { text: ' three', mark: false },
  ]);
  assert.deepEqual(highlightQuote('one two', 'four'), [{ text: 'one two', mark: false }]);
  assert.deepEqual(highlightQuote('one two', ''), [{ text: 'one two', mark: false }]);
});

test("the source page shows every section with passage anchors and highlights a question's quote", async () => {
  const student = await loginAs(t.app, DEMO_ACCOUNTS[1]!.email, DEMO_ACCOUNTS[1]!.password);
  const bank = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  const [q] = await findQuestions(String(bank!._id));
  const { passageId, quote } = q!.definition.source;
  const res = await student.get(`/sources/sco-policy-brief?passage=${passageId}&quote=${encodeURIComponent(quote)}`);
  assert.equal(res.status, 200);
  for (const heading of [
    'Background',
    'A limited security actor',
    'Energy cooperation',
    'Political symbolism',
    'A place in the architecture',
    'An Australian policy response',
  ]) {
    assert.ok(res.text.includes(heading), heading);
  }
  assert.match(res.text, new RegExp(`id="${passageId}"`));
  const marked = /<mark data-testid="quote">([^<]*)<\/mark>/.exec(res.text);
  assert.ok(marked, 'the quote is marked');
  const unescape = (s: string) =>
    s
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  assert.equal(unescape(marked[1]!), quote);
});

test('a quote that is not in the passage highlights nothing; markup in it is escaped', async () => {
  const student = await loginAs(t.app, DEMO_ACCOUNTS[1]!.email, DEMO_ACCOUNTS[1]!.password);
  const res = await student.get('/sources/sco-policy-brief?passage=intro-1&quote=%3Cscript%3Ealert(1)%3C/script%3E');
  assert.equal(res.status, 200);
  assert.doesNotMatch(res.text, /<mark/);
  assert.doesNotMatch(res.text, /<script>alert/);
  assert.equal((await student.get('/sources/no-such-source')).status, 404);
  assert.equal((await student.get('/sources/BAD%20ID')).status, 400);
});

test('the source page needs a login', async () => {
  const res = await request(t.app).get('/sources/sco-policy-brief');
  assert.equal(res.status, 302);
});

test('seeding again changes nothing', async () => {
  const report = await seedDatabase({ demo: true, progress: () => undefined });
  assert.equal(report.invalid.length, 0);
  assert.ok(report.loaded.length >= 1);
  for (const l of report.loaded) {
    assert.equal(l.created, 0);
    assert.equal(l.updated, 0);
    assert.ok(l.unchanged > 0);
  }
});
