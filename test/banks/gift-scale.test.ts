import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { parseGift, parseGiftYielding, type GiftDefaults, type ParseGiftResult } from '../../server/banks/formats/gift/index.ts';
import { IdAllocator } from '../../server/banks/unique-ids.ts';
import { startTestApp, loginAs, postForm, type TestApp, addTopics } from '../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Question } from '../../server/banks/model.ts';

const COPIES = 20_000;
const duplicates = Array.from({ length: COPIES }, () => 'Which port did China build in Pakistan? {=Gwadar ~Karachi ~Chabahar}').join('\n\n');
const defaults: GiftDefaults = { topics: ['members'], source: { passageId: 'background-1', quote: 'Shanghai Five' } };

function ids(result: ParseGiftResult): string[] {
  assert.ok('questions' in result, JSON.stringify('errors' in result ? result.errors.slice(0, 3) : null));
  return result.questions.map((q) => q.id);
}

test('20,000 untitled questions with one prompt get 20,000 unique ids, numbered in order', () => {
  const got = ids(parseGift(duplicates, defaults));
  assert.equal(got.length, COPIES);
  assert.equal(new Set(got).size, COPIES);
  assert.equal(got[0], 'which-port-did-china-build-in-pakistan');
  assert.equal(got[1], 'which-port-did-china-build-in-pakistan-2');
  assert.equal(got[COPIES - 1], `which-port-did-china-build-in-pakistan-${COPIES}`);
});

test('the allocator skips suffixes already taken and never hands out one twice', () => {
  const a = new IdAllocator(['q', 'q-2', 'q-4']);
  assert.deepEqual([a.take('q', 'q'), a.take('q', 'q'), a.take('q-4', 'q-4'), a.take('r', 'r')], ['q-3', 'q-5', 'q-4-2', 'r']);
  // A natural id that an earlier suffix took is itself suffixed.
  const b = new IdAllocator();
  assert.deepEqual([b.take('q', 'q'), b.take('q', 'q'), b.take('q-2', 'q-2')], ['q', 'q-2', 'q-2-2']);
});

test('the yielding parse gives the event loop turns while it reads, and the same questions', async () => {
  let turns = 0;
  let running = true;
  const tick = () => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const result = await parseGiftYielding(duplicates, defaults);
  running = false;
  assert.ok(turns >= COPIES / 1000, `other work ran ${turns} times during the parse`);
  assert.deepEqual(ids(result), ids(parseGift(duplicates, defaults)));
});

let t: TestApp;
let instructor: request.Agent;
before(async () => {
  t = await startTestApp({}, { seed: true });
  const demo = DEMO_ACCOUNTS.find((a) => a.role === 'instructor')!;
  instructor = await loginAs(t.app, demo.email, demo.password);
});
after(async () => {
  await t.close();
});

test('importing 20,000 duplicate GIFT prompts through the editor stores them with unique keys', async () => {
  const created = await postForm(instructor, '/banks', '/banks', { title: 'Many copies', sourceId: 'sco-policy-brief' });
  const bankId = /([a-f0-9]{24})$/.exec(created.headers.location!)![1]!;
  await addTopics(instructor, bankId, ['Members']);
  const page = `/banks/${bankId}/import`;
  const form = { format: 'gift', text: duplicates, defaultTopic: 'members', defaultPassageId: 'background-1', defaultQuote: 'Shanghai Five' };
  const preview = await postForm(instructor, page, page, form);
  assert.equal(preview.status, 200);
  assert.match(preview.text, /20000 questions<\/strong> ready to import/);
  const commit = await postForm(instructor, page, page, { ...form, commit: '1' });
  assert.equal(commit.status, 302, commit.text.slice(0, 500));
  const keys = (await Question.find({ bankId }, { key: 1 }).lean()).map((q) => q.key);
  assert.equal(keys.length, COPIES);
  assert.equal(new Set(keys).size, COPIES);
});
