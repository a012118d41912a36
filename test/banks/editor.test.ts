import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import { startTestApp, loginAs, registerAs, postForm, addTopics, type TestApp } from '../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { User } from '../../server/accounts/model.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import type { QuestionDefinition } from '../../server/questions/definition.ts';

let t: TestApp;
let instructor: request.Agent;
let student: request.Agent;
let rival: request.Agent;
let shippedId: string;
let shippedQuestionId: string;

const demo = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;

before(async () => {
  t = await startTestApp({}, { seed: true });
  instructor = await loginAs(t.app, demo('instructor').email, demo('instructor').password);
  student = await loginAs(t.app, demo('student').email, demo('student').password);
  rival = await registerAs(t.app, 'Rival Instructor', 'rival@example.test');
  // Roles are read from the database on each request, so promoting takes effect at once.
  await User.updateOne({ email: 'rival@example.test' }, { $set: { role: 'instructor' } });
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  shippedId = String(shipped!._id);
  shippedQuestionId = String((await Question.findOne({ bankId: shipped!._id, key: 'sco-001' }).lean())!._id);
});
after(async () => {
  await t.close();
});

const common = {
  prompt: 'According to the paper, what happened in August 2007?',
  topics: ['dates-events'],
  difficulty: 'easy',
  passageId: 'intro-1',
  quote: 'In August 2007, the Shanghai Cooperation Organisation (SCO) captured world attention through two actions.',
  explanation: 'The paper opens with the events of August 2007.',
};

/** One filled-in form per question type. */
const formsByType: Record<string, Record<string, unknown>> = {
  mcq: { ...common, type: 'mcq', choices: 'June 2001\n*August 2007\nMid-2005' },
  multi: { ...common, type: 'multi', choices: '*China\n*Russia\nAustralia' },
  truefalse: { ...common, type: 'truefalse', truefalse: 'true' },
  short: { ...common, type: 'short', answers: 'the SCO\nShanghai Cooperation Organisation' },
  numeric: { ...common, type: 'numeric', numericAnswer: '2', tolerance: '0', unit: '' },
  cloze: { ...common, type: 'cloze', clozeText: 'In {{1}} 2007 the SCO captured world attention.', blanks: 'August | Aug' },
  matching: { ...common, type: 'matching', pairs: 'Exercise -> Military\nCall -> Security order' },
  ordering: { ...common, type: 'ordering', items: '2001\n2005\n2007' },
};

async function createBankAs(agent: request.Agent, title: string): Promise<string> {
  const res = await postForm(agent, '/banks', '/banks', { title, description: 'A test bank', sourceId: 'sco-policy-brief' });
  assert.equal(res.status, 302, res.text.slice(0, 500));
  const m = /^\/banks\/([a-f0-9]{24})$/.exec(res.headers.location ?? '');
  assert.ok(m, `redirected to ${res.headers.location}`);
  await addTopics(agent, m[1]!, ['Members', 'Dates events']);
  return m[1]!;
}

test('a student sees the shipped bank listed with its count, and no answer anywhere under /banks', async () => {
  const list = await student.get('/banks');
  assert.equal(list.status, 200);
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  const live = await Question.countDocuments({ bankId: shipped!._id, retired: false });
  assert.ok(list.text.includes(shipped!.title.replace(/&/g, '&amp;')));
  assert.match(list.text, new RegExp(`${live} questions`));
  assert.doesNotMatch(list.text, /Copy into my banks|New bank|export/i);

  // Every page a student can reach under /banks: the list and whatever the editor routes answer them.
  const pages = [list.text];
  for (const path of [
    `/banks/${shippedId}`,
    `/banks/${shippedId}/questions/new`,
    `/banks/${shippedId}/questions/${shippedQuestionId}/edit`,
    `/banks/${shippedId}/import`,
    `/banks/${shippedId}/export.json`,
    `/banks/${shippedId}/export.gift`,
  ]) {
    pages.push((await student.get(path)).text);
  }
  const html = pages.join('\n');
  const answers = await shippedAnswers();
  assert.ok(answers.length > 100, `checked ${answers.length} answers`);
  const leaked = answers.filter((a) => html.includes(a) || html.includes(a.replace(/&/g, '&amp;').replace(/'/g, '&#39;')));
  assert.deepEqual(leaked, []);
  assert.doesNotMatch(html, /data-question-key|question-table|"answer"|\{=|\bsco-0\d\d\b/);
});

/** Answer texts of the shipped questions (correct choices, accepted answers, blanks, pairs, items) that the bank's public text does not contain. */
async function shippedAnswers(): Promise<string[]> {
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  const live = await Question.find({ bankId: shipped!._id, retired: false }).lean();
  const visible = `${shipped!.title} ${shipped!.description}`;
  return live
    .flatMap((q) => {
      const d = q.definition as QuestionDefinition;
      switch (d.type) {
        case 'mcq':
          return [d.choices.find((c) => c.id === d.answer)!.text];
        case 'multi':
          return d.choices.filter((c) => d.answers.includes(c.id)).map((c) => c.text);
        case 'short':
          return d.answers;
        case 'cloze':
          return d.blanks.flatMap((b) => b.answers);
        case 'matching':
          return d.pairs.map((p) => `${p.left}`);
        case 'ordering':
          return d.items;
        default:
          return [];
      }
    })
    .filter((a) => a.length >= 8 && !visible.includes(a));
}

test('a student gets 403 on every editor, import and export route', async () => {
  const mine = await createBankAs(instructor, 'Instructor bank for the 403 test');
  for (const bank of [shippedId, mine]) {
    for (const path of [
      `/banks/${bank}`,
      `/banks/${bank}/questions/new`,
      `/banks/${bank}/import`,
      `/banks/${bank}/export.json`,
      `/banks/${bank}/export.gift`,
    ]) {
      const res = await student.get(path);
      assert.equal(res.status, 403, `GET ${path}`);
    }
    assert.equal((await student.get(`/banks/${bank}/questions/${shippedQuestionId}/edit`)).status, 403);
    const posts: [string, Record<string, unknown>][] = [
      ['/banks', { title: 'Student bank' }],
      [`/banks/${bank}`, { title: 'Renamed' }],
      [`/banks/${bank}/copy`, {}],
      [`/banks/${bank}/questions`, formsByType.mcq!],
      [`/banks/${bank}/questions/${shippedQuestionId}`, { ...formsByType.mcq!, version: 1 }],
      [`/banks/${bank}/questions/${shippedQuestionId}/retire`, {}],
      [`/banks/${bank}/import`, { format: 'json', text: '[]', commit: '1' }],
    ];
    for (const [path, fields] of posts) {
      const res = await postForm(student, '/banks', path, fields);
      assert.equal(res.status, 403, `POST ${path}`);
    }
  }
  assert.equal(await Bank.countDocuments({ title: { $in: ['Student bank', 'Renamed'] } }), 0);
  assert.equal(await Question.countDocuments({ retired: true }), 0);
  assert.equal(await Question.countDocuments({ bankId: mine }), 0);
});

test('an admin edits the shipped bank; the version bumps and the key stays', async () => {
  const admin = await registerAs(t.app, 'Site Admin', 'admin@example.test');
  await User.updateOne({ email: 'admin@example.test' }, { $set: { role: 'admin' } });
  const page = await admin.get(`/banks/${shippedId}/questions/${shippedQuestionId}/edit`);
  assert.equal(page.status, 200);
  const before = (await Question.findById(shippedQuestionId).lean())!;
  const d = before.definition as QuestionDefinition;
  assert.ok(d.type === 'mcq');
  const res = await postForm(admin, `/banks/${shippedId}`, `/banks/${shippedId}/questions/${shippedQuestionId}`, {
    type: 'mcq',
    prompt: d.prompt,
    topics: d.topics,
    difficulty: d.difficulty,
    passageId: d.source.passageId,
    quote: d.source.quote,
    level: d.level ?? '',
    explanation: `${d.explanation} (Reviewed.)`,
    choices: d.choices.map((c) => `${c.id === d.answer ? '*' : ''}${c.text}`).join('\n'),
    version: String(before.version),
  });
  assert.equal(res.status, 302, res.text.slice(0, 300));
  const after = (await Question.findById(shippedQuestionId).lean())!;
  assert.equal(after.version, before.version + 1);
  assert.deepEqual(after.definition, { ...d, explanation: `${d.explanation} (Reviewed.)` });
});

test('an instructor cannot edit the shipped bank, but can copy it into a bank of their own', async () => {
  assert.equal((await instructor.get(`/banks/${shippedId}`)).status, 403);
  const list = await instructor.get('/banks');
  assert.match(list.text, /Copy into my banks/);
  const res = await postForm(instructor, '/banks', `/banks/${shippedId}/copy`, {});
  assert.equal(res.status, 302);
  const copyId = /([a-f0-9]{24})$/.exec(res.headers.location!)![1]!;
  const copy = await Bank.findById(copyId).lean();
  assert.equal(String(copy!.ownerId), (await User.findOne({ email: demo('instructor').email }).lean())!._id.toString());
  const shippedCount = await Question.countDocuments({ bankId: shippedId, retired: false });
  assert.equal(await Question.countDocuments({ bankId: copyId }), shippedCount);
  // The answer scan of the student test finds the answers where an editor legitimately sees them.
  const exported = JSON.stringify((await instructor.get(`/banks/${copyId}/export.json`)).body);
  const answers = await shippedAnswers();
  assert.deepEqual(
    answers.filter((a) => !exported.includes(JSON.stringify(a).slice(1, -1))),
    [],
  );
  const editor = await instructor.get(`/banks/${copyId}`);
  assert.equal(editor.status, 200);
  assert.match(editor.text, /data-question-key="sco-001"/);
  // Filters narrow the table.
  const numeric = await instructor.get(`/banks/${copyId}?type=numeric&topic=bogus`);
  const numericCount = await Question.countDocuments({ bankId: copyId, type: 'numeric' });
  assert.equal((numeric.text.match(/data-question-key=/g) ?? []).length, numericCount);
});

test('an instructor creates a bank, adds a question of each type, edits one and retires one; another instructor is refused', async () => {
  const bankId = await createBankAs(instructor, 'My SCO questions');
  const newPage = await instructor.get(`/banks/${bankId}/questions/new?type=cloze`);
  assert.equal(newPage.status, 200);
  assert.match(newPage.text, /<option value="cloze" selected>/);
  assert.match(newPage.text, /<option value="intro-1">intro-1: /);
  for (const [type, fields] of Object.entries(formsByType)) {
    const res = await postForm(instructor, `/banks/${bankId}/questions/new?type=${type}`, `/banks/${bankId}/questions`, fields);
    assert.equal(res.status, 302, `${type}: ${res.text.slice(0, 300)}`);
  }
  const stored = await Question.find({ bankId }).sort({ key: 1 }).lean();
  assert.deepEqual(
    stored.map((q) => q.type),
    Object.keys(formsByType),
  );
  assert.deepEqual(
    stored.map((q) => q.key),
    ['q-001', 'q-002', 'q-003', 'q-004', 'q-005', 'q-006', 'q-007', 'q-008'],
  );
  const mcq = stored[0]!.definition as QuestionDefinition;
  assert.ok(mcq.type === 'mcq');
  assert.equal(mcq.choices.find((c) => c.id === mcq.answer)!.text, 'August 2007');
  const cloze = stored[5]!.definition as QuestionDefinition;
  assert.ok(cloze.type === 'cloze');
  assert.deepEqual(cloze.blanks, [{ answers: ['August', 'Aug'] }]);

  const table = await instructor.get(`/banks/${bankId}`);
  assert.equal((table.text.match(/data-question-key=/g) ?? []).length, 8);

  // Edit: the form shows the question; saving bumps the version and keeps the key.
  const mcqId = String(stored[0]!._id);
  const editPage = await instructor.get(`/banks/${bankId}/questions/${mcqId}/edit`);
  assert.equal(editPage.status, 200);
  assert.match(editPage.text, /\*August 2007/);
  const edited = await postForm(instructor, `/banks/${bankId}/questions/${mcqId}/edit`, `/banks/${bankId}/questions/${mcqId}`, {
    ...formsByType.mcq,
    prompt: 'According to the paper, when did the SCO capture world attention?',
    choices: 'June 2001\n*August 2007\nFebruary 2008',
    version: '1',
  });
  assert.equal(edited.status, 302, edited.text.slice(0, 300));
  const after = await Question.findById(mcqId).lean();
  assert.equal(after!.key, 'q-001');
  assert.equal(after!.version, 2);
  assert.equal((after!.definition as QuestionDefinition).prompt, 'According to the paper, when did the SCO capture world attention?');
  assert.equal((after!.definition as QuestionDefinition).id, 'q-001');

  // A form loaded at version 1 is now stale.
  const stale = await postForm(instructor, `/banks/${bankId}/questions/${mcqId}/edit`, `/banks/${bankId}/questions/${mcqId}`, {
    ...formsByType.mcq,
    prompt: 'The second editor’s careful rewording',
    version: '1',
  });
  assert.equal(stale.status, 409);
  assert.equal((await Question.findById(mcqId).lean())!.version, 2);
  // The second editor's text stays on the form, which now carries version 2: saving it again replaces theirs.
  assert.match(stale.text, /Someone else saved this question \(now version 2\) after you opened it, so your change was not saved\. What you wrote is below/);
  assert.match(stale.text, /The second editor’s careful rewording/);
  assert.match(stale.text, /name="version" value="2"/);

  // Another instructor: 403 on every page and action of this bank; nothing changes.
  for (const path of [
    `/banks/${bankId}`,
    `/banks/${bankId}/questions/new`,
    `/banks/${bankId}/questions/${mcqId}/edit`,
    `/banks/${bankId}/import`,
    `/banks/${bankId}/export.json`,
    `/banks/${bankId}/export.gift`,
  ]) {
    assert.equal((await rival.get(path)).status, 403, `GET ${path}`);
  }
  for (const [path, fields] of [
    [`/banks/${bankId}`, { title: 'Taken over' }],
    [`/banks/${bankId}/questions`, formsByType.short!],
    [`/banks/${bankId}/questions/${mcqId}`, { ...formsByType.mcq!, prompt: 'Hijacked?', version: '2' }],
    [`/banks/${bankId}/questions/${mcqId}/retire`, {}],
    [`/banks/${bankId}/import`, { format: 'gift', text: '::x:: Hijack? {T}', commit: '1' }],
  ] as [string, Record<string, unknown>][]) {
    assert.equal((await postForm(rival, '/banks', path, fields)).status, 403, `POST ${path}`);
  }
  assert.equal(await Question.countDocuments({ bankId }), 8);
  assert.equal((await Question.findById(mcqId).lean())!.version, 2);
  assert.equal((await Bank.findById(bankId).lean())!.title, 'My SCO questions');
  assert.doesNotMatch((await rival.get('/banks')).text, /My SCO questions/);

  // Retire: a confirm form on the edit page; the question leaves the table but stays stored.
  const ordering = stored[7]!;
  const orderingEdit = await instructor.get(`/banks/${bankId}/questions/${ordering._id}/edit`);
  assert.match(orderingEdit.text, /data-confirm="Retire question q-008/);
  const retired = await postForm(instructor, `/banks/${bankId}/questions/${ordering._id}/edit`, `/banks/${bankId}/questions/${ordering._id}/retire`, {});
  assert.equal(retired.status, 302);
  assert.equal((await Question.findById(ordering._id).lean())!.retired, true);
  const tableAfter = await instructor.get(`/banks/${bankId}`);
  assert.doesNotMatch(tableAfter.text, /data-question-key="q-008"/);
  assert.match(tableAfter.text, /1 retired/);
  assert.equal((await instructor.get(`/banks/${bankId}/questions/${ordering._id}/edit`)).status, 404);
  // A retired key is not reused.
  const next = await postForm(instructor, `/banks/${bankId}/questions/new`, `/banks/${bankId}/questions`, formsByType.ordering!);
  assert.equal(next.status, 302);
  assert.equal(await Question.countDocuments({ bankId, key: 'q-009' }), 1);
});

test('bad question input is refused with 400 and a message beside each field, keeping what was typed and writing nothing', async () => {
  const bankId = await createBankAs(instructor, 'Validation bank');
  const page = `/banks/${bankId}/questions/new`;
  const cases: [string, Record<string, unknown>, Record<string, RegExp>][] = [
    [
      'empty fields',
      { type: 'short', prompt: '', answers: '', quote: '', explanation: '' },
      {
        prompt: /prompt is required/,
        topics: /at least one topic/,
        answers: /at least one accepted answer/,
        passageId: /passage/,
        explanation: /required/,
      },
    ],
    ['forged type', { ...formsByType.short, type: 'hotspot' }, { type: /Choose a question type/ }],
    [
      'forged difficulty and topic',
      { ...formsByType.short, difficulty: 'trivial', topics: ['members', 'gossip'] },
      { difficulty: /from the list/, topics: /from the list/ },
    ],
    ['quote not in the passage', { ...formsByType.short, quote: 'The SCO is a military alliance against the West.' }, { quote: /word for word/ }],
    ['unknown passage', { ...formsByType.short, passageId: 'nowhere-99' }, { passageId: /passage/ }],
    [
      '10,000-character fields',
      { ...formsByType.short, prompt: 'p'.repeat(10_000), explanation: 'e'.repeat(10_000) },
      { prompt: /too long/, explanation: /too long/ },
    ],
    ['operator injection in topics', { ...formsByType.short, topics: undefined, 'topics[$ne]': 'x' }, { topics: /at least one topic/ }],
    ['mcq without a marked answer', { ...formsByType.mcq, choices: 'A\nB\nC' }, { choices: /Mark the correct choice/ }],
    ['cloze blanks that do not match the text', { ...formsByType.cloze, blanks: 'one\ntwo' }, { clozeText: /\{\{1\}\}/ }],
  ];
  for (const [name, fields, expected] of cases) {
    const res = await postForm(instructor, page, `/banks/${bankId}/questions`, fields);
    assert.equal(res.status, 400, name);
    for (const [field, message] of Object.entries(expected)) {
      const error = new RegExp(`id="f-${field}-error">([^<]*)<`).exec(res.text);
      assert.ok(error, `${name}: no message beside ${field}`);
      assert.match(error[1]!, message, `${name}: ${field}`);
    }
  }
  // What was typed comes back.
  const res = await postForm(instructor, page, `/banks/${bankId}/questions`, { ...formsByType.short, quote: 'Not in the paper at all.' });
  assert.match(res.text, /Not in the paper at all\.<\/textarea>/);
  assert.match(res.text, /the SCO\nShanghai Cooperation Organisation<\/textarea>/);
  assert.match(res.text, /value="dates-events" checked/);
  assert.equal(await Question.countDocuments({ bankId }), 0);

  // An edit with bad input changes nothing either.
  assert.equal((await postForm(instructor, page, `/banks/${bankId}/questions`, formsByType.truefalse!)).status, 302);
  const q = (await Question.findOne({ bankId }).lean())!;
  const bad = await postForm(instructor, page, `/banks/${bankId}/questions/${q._id}`, { ...formsByType.truefalse, truefalse: 'maybe', version: '1' });
  assert.equal(bad.status, 400);
  assert.equal((await Question.findById(q._id).lean())!.version, 1);

  // Bank details are validated too.
  const badBank = await postForm(instructor, '/banks', '/banks', { title: '   ', description: 'd'.repeat(10_000) });
  assert.equal(badBank.status, 400);
  assert.match(badBank.text, /Give the bank a title/);
  assert.equal(await Bank.countDocuments({ description: 'd'.repeat(10_000) }), 0);
  // A malformed id is a 400, not a crash.
  assert.equal((await instructor.get('/banks/not-an-id')).status, 400);
});
