/** The approval queue over HTTP: drafting a source, who may see and decide its drafts, accepting, rejecting. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, loginAs, registerAs, tokenFor, postForm, type TestApp } from '../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { User } from '../../server/accounts/model.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { Source } from '../../server/sources/model.ts';
import { DraftRecord } from '../../server/drafts/model.ts';
import { questionDefinition } from '../../server/questions/definition.ts';
import { addTextSource, draftAndWait, makeBank } from './queue-helpers.ts';

const demo = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
let t: TestApp;
let owner: request.Agent;
let student: request.Agent;
let rival: request.Agent;
let sourceId: string;
let bankId: string;
let rivalBankId: string;
let shippedSourceBankId: string;

before(async () => {
  t = await startTestApp({}, { seed: true });
  owner = await loginAs(t.app, demo('instructor').email, demo('instructor').password);
  student = await loginAs(t.app, demo('student').email, demo('student').password);
  rival = await registerAs(t.app, 'Rival Instructor', 'rival-drafts@example.test');
  await User.updateOne({ email: 'rival-drafts@example.test' }, { $set: { role: 'instructor' } });
  sourceId = await addTextSource(owner, 'River compact');
  bankId = await makeBank(owner, 'River questions', sourceId);
  rivalBankId = await makeBank(rival, 'Rival bank', sourceId);
  const shipped = await Source.findOne({ ownerId: null }).lean();
  shippedSourceBankId = await makeBank(owner, 'Other bank', String(shipped!._id));
});
after(() => t.close());

const queue = (s = sourceId) => `/sources/${s}/drafts`;
const pending = () => DraftRecord.find({ sourceId, status: 'pending' }).sort({ rank: 1 }).lean();
const bankQuestions = (id = bankId) => Question.countDocuments({ bankId: id, retired: false });
/** Everything a refused request must leave as it was. */
const snapshot = async () =>
  JSON.stringify([
    await DraftRecord.find({}, { status: 1 }).sort({ _id: 1 }).lean(),
    await Question.countDocuments(),
    (await Bank.find({}, { topics: 1 }).sort({ _id: 1 }).lean()).map((b) => b.topics),
  ]);

test('the owner drafts the source off the request thread; the queue shows drafts by section beside their passages', async () => {
  const idle = await owner.get(`${queue()}/status`);
  assert.deepEqual(idle.body, { state: 'idle', done: 0, of: 0, added: 0, message: '' });
  const run = await draftAndWait(owner, sourceId);
  assert.equal(run.state, 'done');
  assert.equal(run.done, run.of);
  assert.ok(run.added >= 10, `added ${run.added}`);
  const drafts = await pending();
  assert.equal(drafts.length, run.added);
  const source = await Source.findById(sourceId).lean();
  for (const d of drafts) {
    const passage = source!.passages.find((p) => p.id === d.passageId)!;
    assert.ok(passage.text.includes(d.question.source.quote), `${d.passageId}: quote not verbatim`);
  }
  const page = await owner.get(queue());
  assert.equal(page.status, 200);
  assert.match(page.text, /<h2>Origins<\/h2>[\s\S]*<h2>Dams and fisheries<\/h2>[\s\S]*<h2>Cooperation<\/h2>/);
  assert.match(page.text, /data-passage="origins-1">\s*<blockquote class="passage"><span class="badge">origins-1<\/span> The Mekong River Commission/);
  assert.equal((page.text.match(/data-testid="draft"/g) ?? []).length, drafts.length);
  assert.match(page.text, new RegExp(`<option value="${bankId}" selected>River questions`));
  assert.doesNotMatch(page.text, /Rival bank|Other bank/, 'only the caller’s banks built on this source are offered');
  // The source page links to it for its owner only.
  assert.match((await owner.get(`/sources/${sourceId}`)).text, /id="draft-link"/);
});

test('students and other instructors cannot draft, see or decide the drafts of a source', async () => {
  const d = (await pending())[0]!;
  const before = await snapshot();
  for (const agent of [student, rival]) {
    assert.equal((await agent.get(queue())).status, 403);
    assert.equal((await agent.get(`${queue()}/status`).set('Accept', 'application/json')).status, 403);
    const token = await tokenFor(agent, '/account');
    for (const [path, body] of [
      [queue(), {}],
      [`${queue()}/${d._id}/accept`, { bankId: agent === rival ? rivalBankId : bankId }],
      [`${queue()}/${d._id}/reject`, {}],
      [`${queue()}/accept-top`, { bankId: agent === rival ? rivalBankId : bankId, n: 1 }],
      [`${queue()}/${d._id}/edit`, { bankId: agent === rival ? rivalBankId : bankId, prompt: 'x' }],
    ] as const) {
      const res = await agent
        .post(path)
        .type('form')
        .send({ _csrf: token, ...body });
      assert.equal(res.status, 403, `${path}: ${res.status}`);
    }
    assert.equal((await agent.get(`${queue()}/${d._id}/edit?bank=${bankId}`)).status, 403);
  }
  assert.doesNotMatch((await rival.get(`/sources/${sourceId}`).catch(() => null))?.text ?? '', /id="draft-link"/);
  // The shipped source is the admins': an instructor may not draft it.
  const shipped = await Source.findOne({ ownerId: null }).lean();
  assert.equal((await owner.get(queue(String(shipped!._id)))).status, 403);
  assert.equal(await snapshot(), before);
});

test('every change needs the CSRF token', async () => {
  const d = (await pending())[0]!;
  const before = await snapshot();
  for (const [path, body] of [
    [queue(), {}],
    [`${queue()}/${d._id}/accept`, { bankId }],
    [`${queue()}/${d._id}/reject`, {}],
    [`${queue()}/accept-top`, { bankId, n: 1 }],
  ] as const) {
    assert.equal((await owner.post(path).type('form').send(body)).status, 403, path);
    assert.equal(
      (
        await owner
          .post(path)
          .type('form')
          .send({ _csrf: 'forged', ...body })
      ).status,
      403,
      path,
    );
  }
  assert.equal(await snapshot(), before);
});

test('accepting a draft makes it a question of the bank that the validator accepts, citing its passage and quote', async () => {
  const d = (await pending())[0]!;
  const res = await postForm(owner, queue(), `${queue()}/${d._id}/accept`, { bankId });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, `${queue()}?bank=${bankId}`);
  const stored = await DraftRecord.findById(d._id).lean();
  assert.equal(stored!.status, 'accepted');
  const q = await Question.findById(stored!.questionId).lean();
  assert.equal(String(q!.bankId), bankId);
  const parsed = questionDefinition.safeParse(q!.definition);
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  assert.equal(q!.definition.source.passageId, d.passageId);
  assert.equal(q!.definition.source.quote, d.question.source.quote);
  assert.equal(q!.definition.prompt, d.question.prompt);
  assert.equal(q!.definition.type, d.question.type);
  // The fresh bank had no topics: the draft's section heading became one, and the question is tagged with it.
  const bank = await Bank.findById(bankId).lean();
  assert.deepEqual(
    q!.definition.topics.map((s: string) => bank!.topics!.find((t) => t.slug === s)?.name),
    [d.sectionTitle],
  );
  // Deciding it again is a conflict and writes nothing.
  const before = await snapshot();
  assert.equal((await postForm(owner, queue(), `${queue()}/${d._id}/accept`, { bankId })).status, 409);
  assert.equal((await postForm(owner, queue(), `${queue()}/${d._id}/reject`, {})).status, 409);
  assert.equal(await snapshot(), before);
});

test('a suggested topic the bank already has is used by name', async () => {
  const d =
    (await pending()).find((x) => x.question.topics.includes('dates') && !x.question.topics.includes('origins')) ??
    (await pending()).find((x) => x.question.topics.includes('dates'))!;
  await postForm(owner, `/banks/${bankId}/topics`, `/banks/${bankId}/topics`, { name: 'Dates' });
  const r = await postForm(owner, queue(), `${queue()}/${d._id}/accept`, { bankId });
  assert.equal(r.status, 303, r.text.slice(r.text.indexOf('<main'), r.text.indexOf('<main') + 1500));
  const q = await Question.findById((await DraftRecord.findById(d._id).lean())!.questionId).lean();
  assert.ok(q!.definition.topics.includes('dates'), q!.definition.topics.join());
});

test('accept the top N takes the first N of the queue; N out of range is refused and writes nothing', async () => {
  const top = (await pending()).slice(0, 3);
  const count = await bankQuestions();
  const res = await postForm(owner, queue(), `${queue()}/accept-top`, { bankId, n: 3 });
  assert.equal(res.status, 303);
  assert.equal(await bankQuestions(), count + 3);
  for (const d of top) assert.equal((await DraftRecord.findById(d._id).lean())!.status, 'accepted');
  const waiting = (await pending()).length;
  const before = await snapshot();
  for (const n of [0, -1, 101, 1.5, 'ten', waiting + 1]) {
    const bad = await postForm(owner, queue(), `${queue()}/accept-top`, { bankId, n });
    assert.equal(bad.status, 400, `n=${n}`);
  }
  assert.equal(await snapshot(), before);
});

test('bad input is refused with a 4xx and writes nothing: unknown draft, a bank not editable, a bank not on the source', async () => {
  const d = (await pending())[0]!;
  const before = await snapshot();
  assert.equal((await postForm(owner, queue(), `${queue()}/${'0'.repeat(24)}/accept`, { bankId })).status, 404);
  assert.equal((await postForm(owner, queue(), `${queue()}/not-an-id/accept`, { bankId })).status, 400);
  assert.equal((await postForm(owner, queue(), `${queue()}/${'0'.repeat(24)}/reject`, {})).status, 404);
  assert.equal((await postForm(owner, queue(), `${queue()}/${d._id}/accept`, { bankId: rivalBankId })).status, 403);
  assert.equal((await postForm(owner, queue(), `${queue()}/${d._id}/accept`, { bankId: '0'.repeat(24) })).status, 404);
  assert.equal((await postForm(owner, queue(), `${queue()}/${d._id}/accept`, { bankId: shippedSourceBankId })).status, 400);
  assert.equal((await postForm(owner, queue(), `${queue()}/${d._id}/accept`, {})).status, 400);
  assert.equal((await postForm(owner, queue(), `${queue()}/accept-top`, { bankId: rivalBankId, n: 1 })).status, 403);
  assert.equal((await postForm(owner, queue(), queue(), { sections: 'no-such-section' })).status, 400);
  assert.equal((await postForm(owner, queue(), `/sources/no-such-source/drafts`, {})).status, 404);
  assert.equal(await snapshot(), before);
});

test('edit opens the bank’s question form filled with the draft; saving creates the question and accepts the draft', async () => {
  const d = (await pending())[0]!;
  const form = await owner.get(`${queue()}/${d._id}/edit?bank=${bankId}`);
  assert.equal(form.status, 200);
  assert.match(form.text, new RegExp(`action="${queue()}/${d._id}/edit"`));
  assert.match(form.text, new RegExp(`name="bankId" value="${bankId}"`));
  assert.equal((await owner.get(`${queue()}/${d._id}/edit`)).status, 400, 'a bank must be chosen');
  // A bad edit re-renders the form with the message and writes nothing.
  const fields: Record<string, string> = Object.fromEntries(
    [...form.text.matchAll(/<textarea[^>]*name="([a-zA-Z]+)"[^>]*>([\s\S]*?)<\/textarea>/g)].map((m) => [m[1]!, decode(m[2]!)]),
  );
  const selected = (name: string) => decode(new RegExp(`name="${name}"[\\s\\S]*?<option value="([^"]*)" selected`).exec(form.text)?.[1] ?? '');
  assert.equal(fields.prompt, d.question.prompt, 'the form is filled with the draft');
  assert.equal(fields.quote, d.question.source.quote);
  const topics = [...form.text.matchAll(/name="topics" value="([^"]+)" checked/g)].map((m) => m[1]!);
  const body = {
    ...fields,
    type: selected('type'),
    difficulty: selected('difficulty'),
    level: selected('level'),
    passageId: selected('passageId'),
    topics: topics.length ? topics : ['dates'],
    truefalse: /name="truefalse" value="(true|false)" checked/.exec(form.text)?.[1] ?? '',
    tolerance: /name="tolerance"[^>]*value="([^"]*)"/.exec(form.text)?.[1] ?? '0',
    numericAnswer: /name="numericAnswer"[^>]*value="([^"]*)"/.exec(form.text)?.[1] ?? '',
    unit: '',
  };
  const before = await snapshot();
  const bad = await postForm(owner, queue(), `${queue()}/${d._id}/edit`, { ...body, bankId, prompt: '' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="question-form"/);
  assert.equal(await snapshot(), before);
  const count = await bankQuestions();
  const saved = await postForm(owner, queue(), `${queue()}/${d._id}/edit`, { ...body, bankId, prompt: `${fields.prompt} (edited)` });
  assert.equal(saved.status, 303, saved.text.slice(saved.text.indexOf('<main'), saved.text.indexOf('<main') + 3000));
  assert.equal(await bankQuestions(), count + 1);
  const stored = await DraftRecord.findById(d._id).lean();
  assert.equal(stored!.status, 'accepted');
  const q = await Question.findById(stored!.questionId).lean();
  assert.match(q!.definition.prompt, /\(edited\)$/);
  assert.ok(questionDefinition.safeParse(q!.definition).success);
});

test('a rejected draft, and accepted ones, do not come back when the source is drafted again; nor do drafts a bank question already asks', async () => {
  const [rejected, asked] = await pending();
  assert.equal((await postForm(owner, queue(), `${queue()}/${rejected!._id}/reject`, { bankId })).status, 303);
  assert.equal((await DraftRecord.findById(rejected!._id).lean())!.status, 'rejected');
  // A question written by hand that asks what a waiting draft asks.
  const bank = await Bank.findById(bankId).lean();
  const def = { ...asked!.question, id: 'hand-written', topics: [bank!.topics![0]!.slug] };
  await Question.create({
    bankId,
    key: 'hand-written',
    type: def.type,
    topics: def.topics,
    difficulty: def.difficulty,
    passageId: def.source.passageId,
    definition: def,
    hash: 'x',
    version: 1,
    retired: false,
  });
  const decided = await DraftRecord.find({ sourceId, status: { $ne: 'pending' } }).lean();
  const run = await draftAndWait(owner, sourceId);
  assert.equal(run.state, 'done');
  const now = await pending();
  const fingerprints = new Set(now.map((d) => d.fingerprint));
  for (const d of decided) assert.ok(!fingerprints.has(d.fingerprint), `${d.status} draft ${d.key} came back`);
  assert.ok(!now.some((d) => d.key === asked!.key), 'a draft a bank question asks came back');
  assert.equal(await DraftRecord.countDocuments({ sourceId, status: { $ne: 'pending' } }), decided.length, 'decided drafts are kept');
});

test('drafting chosen sections replaces only their waiting drafts; a second click while it runs shows the run in flight', async () => {
  const others = (await pending())
    .filter((d) => d.sectionTitle !== 'Cooperation')
    .map((d) => String(d._id))
    .sort();
  const first = postForm(owner, queue(), queue(), { sections: ['cooperation'] });
  assert.equal((await first).status, 303);
  const again = await postForm(owner, queue(), queue(), {});
  assert.equal(again.status, 303);
  assert.match((await owner.get(queue())).text, /being drafted already/);
  const run = await draftAndWait(owner, sourceId, ['cooperation']);
  assert.equal(run.state, 'done');
  assert.equal(run.of, 3, 'only the section’s passages are read');
  const after = await pending();
  assert.deepEqual(
    after
      .filter((d) => d.sectionTitle !== 'Cooperation')
      .map((d) => String(d._id))
      .sort(),
    others,
  );
});

function decode(s: string): string {
  return s.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

test('an admin may draft any source, the shipped paper included (as they alone upload its new versions)', async () => {
  const admin = await registerAs(t.app, 'Drafts Admin', 'drafts-admin@example.test');
  await User.updateOne({ email: 'drafts-admin@example.test' }, { $set: { role: 'admin' } });
  const shipped = String((await Source.findOne({ ownerId: null }).lean())!._id);
  assert.equal((await admin.get(queue(shipped))).status, 200);
  assert.match((await admin.get(`/sources/${shipped}`)).text, /id="draft-link"/);
  assert.doesNotMatch((await owner.get(`/sources/${shipped}`)).text, /id="draft-link"/);
  assert.equal((await admin.get(queue())).status, 200);
});

const GLOSSARY = [
  'Glossary',
  '',
  'Terms',
  '',
  'A delta is a landform built from sediment where a river meets the sea. An estuary is the tidal mouth of a large river. A tributary is a stream that flows into a larger river. A watershed is an area of land that drains into one river.',
  '',
  'History',
  '',
  'In 1995, the council was founded by four river states. In 2003, the World Bank withdrew from several dam projects. In 2016, China launched a forum for the whole basin. In 2020, the council published a report on sediment.',
  '',
].join('\n');

test('matching and ordering drafts show their pairs and items in the queue and are accepted into a bank as valid questions', async () => {
  const glossary = await addTextSource(owner, 'Glossary', GLOSSARY);
  const glossaryBank = await makeBank(owner, 'Glossary questions', glossary);
  assert.equal((await draftAndWait(owner, glossary)).state, 'done');
  const drafts = await DraftRecord.find({ sourceId: glossary, status: 'pending' }).lean();
  const matching = drafts.find((d) => d.kind === 'matching');
  const ordering = drafts.find((d) => d.kind === 'ordering');
  assert.ok(matching && ordering, drafts.map((d) => d.kind).join());
  const page = (await owner.get(`${queue(glossary)}?bank=${glossaryBank}`)).text;
  assert.match(page, /<ul class="draft-key draft-pairs">[^]*?<li><strong>An estuary<\/strong> → the tidal mouth of a large river<\/li>/);
  assert.match(
    page,
    /<ol class="draft-key draft-items"><li>The council was founded by four river states.<\/li><li>The World Bank withdrew from several dam projects.<\/li>/,
  );
  for (const d of [matching, ordering]) {
    assert.equal((await postForm(owner, queue(glossary), `${queue(glossary)}/${d._id}/accept`, { bankId: glossaryBank })).status, 303);
    const q = await Question.findById((await DraftRecord.findById(d._id).lean())!.questionId).lean();
    assert.equal(q!.definition.type, d.kind);
    assert.ok(questionDefinition.safeParse(q!.definition).success);
    assert.deepEqual(
      q!.definition.type === 'ordering' ? q!.definition.items : q!.definition.pairs,
      d.question.type === 'ordering' ? d.question.items : (d.question as { pairs: unknown }).pairs,
    );
  }
});
