/**
 * Topics are data: each bank has its own topics (slug, name, order); an instructor edits them
 * on a page with CSRF and authorization; pickers and progress read them; a start-up migration
 * gives banks stored before this their topics.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type request from 'supertest';
import mongoose from 'mongoose';
import { startTestApp, loginAs, registerAs, postForm, addTopics, type TestApp } from '../helpers/test-app.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { User } from '../../server/accounts/model.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { addTopic, moveTopic, removeTopic, renameTopic, topicsFromSections, topicsFromTags, TopicEditError } from '../../server/banks/topics.ts';
import { findSource } from '../../server/sources/index.ts';
import { giveBanksTopics } from '../../server/banks/topics-service.ts';
import { questionFields } from '../../server/banks/load-bank.ts';
import type { QuestionDefinition } from '../../server/questions/definition.ts';

let t: TestApp;
let instructor: request.Agent;
let student: request.Agent;
let rival: request.Agent;
const demo = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;

before(async () => {
  t = await startTestApp({}, { seed: true });
  instructor = await loginAs(t.app, demo('instructor').email, demo('instructor').password);
  student = await loginAs(t.app, demo('student').email, demo('student').password);
  rival = await registerAs(t.app, 'Rival Topics', 'rival-topics@example.test');
  await User.updateOne({ email: 'rival-topics@example.test' }, { $set: { role: 'instructor' } });
});
after(() => t.close());

/** A new bank on the shipped paper, with its first topics (one per section) cleared, to edit from nothing. */
async function newBank(title: string): Promise<string> {
  const res = await postForm(instructor, '/banks', '/banks', { title, sourceId: 'sco-policy-brief' });
  assert.equal(res.status, 302, res.text.slice(0, 300));
  const id = /([a-f0-9]{24})$/.exec(res.headers.location!)![1]!;
  await Bank.updateOne({ _id: id }, { $set: { topics: [] } });
  return id;
}

test('a new bank starts with one topic per section of its source, in the document’s order', async () => {
  const res = await postForm(instructor, '/banks', '/banks', { title: 'Sectioned bank', sourceId: 'sco-policy-brief' });
  const id = /([a-f0-9]{24})$/.exec(res.headers.location!)![1]!;
  const source = (await findSource('sco-policy-brief'))!;
  const topics = (await Bank.findById(id).lean())!.topics!;
  assert.deepEqual(
    topics.map((x) => x.name),
    source.sections.map((x) => x.title),
  );
  assert.ok(topics.length >= 2);
  const form = await instructor.get(`/banks/${id}/questions/new`);
  for (const topic of topics) assert.ok(form.text.includes(`value="${topic.slug}"`), topic.slug);
});

test('first topics from sections skip names that clash and stop at the bound', () => {
  assert.deepEqual(topicsFromSections([{ title: 'Intro' }, { title: 'intro' }, { title: '???' }, { title: 'Costs' }]), [
    { slug: 'intro', name: 'Intro' },
    { slug: 'costs', name: 'Costs' },
  ]);
  assert.equal(topicsFromSections(Array.from({ length: 500 }, (_, i) => ({ title: `Section ${i}` }))).length < 500, true);
});

/** The names of the topic rows of the topics page, in order. */
const topicNames = (html: string) => [...html.matchAll(/<input id="name-[^"]+" name="name" value="([^"]*)"/g)].map((m) => m[1]!);

const question = (topics: string[]) => ({
  type: 'truefalse',
  prompt: 'The Shanghai Five preceded the SCO.',
  topics,
  difficulty: 'easy',
  truefalse: 'true',
  passageId: 'background-1',
  quote: 'Shanghai Five',
  explanation: 'The paper says so.',
});

test('pure edits: add makes a slug from the name, rename keeps the slug, move swaps, remove is refused while used', () => {
  let list = addTopic([], 'Trade and aid');
  assert.deepEqual(list, [{ slug: 'trade-and-aid', name: 'Trade and aid' }]);
  list = addTopic(list, 'Élites');
  assert.equal(list[1]!.slug, 'elites');
  assert.throws(() => addTopic(list, 'trade AND aid'), TopicEditError);
  assert.throws(() => addTopic(list, '   '), /Give the topic a name/);
  assert.throws(() => addTopic(list, '!!!'), /at least one letter or digit/);
  list = renameTopic(list, 'elites', 'Elites and leaders');
  assert.deepEqual(list[1], { slug: 'elites', name: 'Elites and leaders' });
  assert.deepEqual(
    moveTopic(list, 'elites', -1).map((x) => x.slug),
    ['elites', 'trade-and-aid'],
  );
  assert.deepEqual(
    moveTopic(list, 'elites', 1).map((x) => x.slug),
    ['trade-and-aid', 'elites'],
    'the last stays last',
  );
  assert.throws(() => removeTopic(list, 'elites', 2), /used by 2 questions/);
  assert.deepEqual(
    removeTopic(list, 'elites', 0).map((x) => x.slug),
    ['trade-and-aid'],
  );
  assert.throws(() => removeTopic(list, 'nope', 0), /no such topic/);
});

test('the migration names topics as another bank does, in its order, and from the slug otherwise', () => {
  const known = [
    { slug: 'b', name: 'Bee' },
    { slug: 'a', name: 'Ay' },
  ];
  assert.deepEqual(topicsFromTags(['a', 'zed-topic', 'b'], known), [
    { slug: 'b', name: 'Bee' },
    { slug: 'a', name: 'Ay' },
    { slug: 'zed-topic', name: 'Zed topic' },
  ]);
});

test('an instructor adds, renames, reorders and removes topics; the question form and filters offer them', async () => {
  const bankId = await newBank('Topics bank');
  const page = `/banks/${bankId}/topics`;
  const empty = await instructor.get(page);
  assert.equal(empty.status, 200);
  assert.match(empty.text, /no topics yet/);
  const noTopicQuestion = await postForm(instructor, `/banks/${bankId}/questions/new`, `/banks/${bankId}/questions`, question(['trade']));
  assert.equal(noTopicQuestion.status, 400);
  assert.match(noTopicQuestion.text, /This bank has no topics yet/);

  await addTopics(instructor, bankId, ['Trade', 'Aid', 'Borders']);
  assert.deepEqual(topicNames((await instructor.get(page)).text), ['Trade', 'Aid', 'Borders']);
  const dup = await postForm(instructor, page, page, { name: 'trade' });
  assert.equal(dup.status, 400);
  assert.match(dup.text, /This bank already has a topic &#34;Trade&#34;/);
  const blank = await postForm(instructor, page, page, { name: '  ' });
  assert.equal(blank.status, 400);
  assert.match(blank.text, /id="f-name-error">Give the topic a name/);

  // A question tagged with the bank's topics is accepted; a tag the bank lacks is refused beside the field.
  const ok = await postForm(instructor, `/banks/${bankId}/questions/new`, `/banks/${bankId}/questions`, question(['trade']));
  assert.equal(ok.status, 302, ok.text.slice(0, 300));
  const foreign = await postForm(instructor, `/banks/${bankId}/questions/new`, `/banks/${bankId}/questions`, question(['members']));
  assert.equal(foreign.status, 400);
  assert.match(foreign.text, /Choose topics from the list/);

  assert.equal((await postForm(instructor, page, `${page}/trade`, { name: 'Trade and tariffs' })).status, 303);
  assert.equal((await postForm(instructor, page, `${page}/borders/move`, { by: 'up' })).status, 303);
  assert.deepEqual(topicNames((await instructor.get(page)).text), ['Trade and tariffs', 'Borders', 'Aid']);
  assert.deepEqual((await Question.findOne({ bankId }).lean())!.topics, ['trade'], 'a rename keeps the tag');

  const clash = await postForm(instructor, page, `${page}/aid`, { name: 'borders' });
  assert.equal(clash.status, 400);
  assert.match(clash.text, /id="f-topic-error">This bank already has a topic named &#34;borders&#34;/, 'a rename’s mistake shows under the list');
  const used = await postForm(instructor, page, `${page}/trade/delete`, {});
  assert.equal(used.status, 400);
  assert.match(used.text, /&#34;Trade and tariffs&#34; is used by 1 question/);
  assert.equal((await postForm(instructor, page, `${page}/aid/delete`, {})).status, 303);
  assert.deepEqual(topicNames((await instructor.get(page)).text), ['Trade and tariffs', 'Borders']);
  assert.equal((await postForm(instructor, page, `${page}/nope/delete`, {})).status, 400);

  // The editor's filter and the new-question form list the bank's topics, in order, by name.
  const form = (await instructor.get(`/banks/${bankId}/questions/new`)).text;
  assert.ok(form.indexOf('value="trade"') < form.indexOf('value="borders"'));
  assert.match(form, /Trade and tariffs/);
  assert.doesNotMatch(form, /value="members"/, 'no other bank’s topic is offered');
  const editor = (await instructor.get(`/banks/${bankId}?topic=trade`)).text;
  assert.match(editor, /<option value="trade" selected>Trade and tariffs<\/option>/);
});

test('only the bank’s editors reach its topics page and its changes; a form without its CSRF token is refused', async () => {
  const bankId = await newBank('Guarded topics');
  await addTopics(instructor, bankId, ['Kept']);
  const page = `/banks/${bankId}/topics`;
  assert.equal((await student.get(page)).status, 403);
  assert.equal((await rival.get(page)).status, 403);
  assert.equal((await postForm(rival, '/banks', page, { name: 'Intruder' })).status, 403);
  assert.equal((await postForm(rival, '/banks', `${page}/kept`, { name: 'Renamed' })).status, 403);
  assert.equal((await postForm(rival, '/banks', `${page}/kept/delete`, {})).status, 403);
  assert.equal((await postForm(student, '/practice', `${page}/kept/move`, { by: 'up' })).status, 403);
  const noToken = await instructor.post(page).type('form').send({ name: 'No token' });
  assert.equal(noToken.status, 403);
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  assert.equal((await instructor.get(`/banks/${shipped!._id}/topics`)).status, 403, 'the shipped bank is the admins’ to edit');
  assert.equal((await instructor.get('/banks/not-an-id/topics')).status, 400);
  assert.deepEqual(
    (await Bank.findById(bankId).lean())!.topics!.map((x) => x.name),
    ['Kept'],
  );
});

test('practice and flashcards offer the chosen bank’s own topics; a topic of another bank is refused', async () => {
  const bankId = await newBank('Own topics bank');
  await addTopics(instructor, bankId, ['Ports', 'Pipelines']);
  const created = await postForm(instructor, `/banks/${bankId}/questions/new`, `/banks/${bankId}/questions`, question(['ports']));
  assert.equal(created.status, 302);
  const practice = (await instructor.get(`/practice?bank=${bankId}`)).text;
  assert.match(practice, /<label for="topic-ports">Ports<\/label>/);
  assert.doesNotMatch(practice, /topic-members/);
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  const shippedPractice = (await instructor.get(`/practice?bank=${shipped!._id}`)).text;
  for (const topic of shipped!.topics!)
    assert.ok(shippedPractice.includes(`for="topic-${topic.slug}">${topic.name.replace(/'/g, '&#39;')}</label>`), topic.slug);
  const refused = await postForm(instructor, '/practice', '/practice', { bankId, topics: [shipped!.topics![0]!.slug] });
  assert.equal(refused.status, 400);
  assert.match(refused.text, /Choose topics from the list/);
  const started = await postForm(instructor, '/practice', '/practice', { bankId, topics: ['ports'] });
  assert.equal(started.status, 303);

  const study = (await instructor.get(`/study?bank=${bankId}`)).text;
  assert.match(study, /<option value="ports">Ports<\/option>/);
  assert.doesNotMatch(study, new RegExp(`<option value="${shipped!.topics![0]!.slug}">`));
  assert.equal((await instructor.get(`/study/session?bank=${bankId}&topic=ports`)).status, 200);
  assert.equal((await instructor.get(`/study/session?bank=${bankId}&topic=${shipped!.topics![0]!.slug}`)).status, 400);
});

test('progress names mastery by topic as the bank names its topics, in its order; an admin’s rename shows at once', async () => {
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  const res = await postForm(student, '/practice', '/practice', { bankId: String(shipped!._id), types: ['truefalse'], length: '5' });
  assert.equal(res.status, 303);
  const sessionId = /\/practice\/([a-f0-9]{24})/.exec(res.headers.location!)![1]!;
  const page = (await student.get(`/practice/${sessionId}`)).text;
  const qid = /name="questionId" value="([a-f0-9]{24})"/.exec(page)![1]!;
  const answered = await Question.findById(qid).lean();
  const d = answered!.definition as QuestionDefinition & { type: 'truefalse' };
  const sent = await postForm(student, `/practice/${sessionId}`, `/practice/${sessionId}/answers`, { position: '0', questionId: qid, value: String(d.answer) });
  assert.equal(sent.status, 303);
  const rows = (html: string) => [...html.matchAll(/<tr><th scope="row">([^<]*)<\/th>\s*<td>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
  const names = rows((await student.get('/progress')).text);
  const inOrder = shipped!.topics!.map((x) => x.name).filter((n) => names.includes(n));
  assert.ok(inOrder.length > 0, `topic rows: ${names.join(', ')}`);
  assert.deepEqual(
    names.filter((n) => inOrder.includes(n)),
    inOrder,
    'in the bank’s order',
  );
  // An admin renames the answered question's first topic: progress says the new name.
  const admin = await registerAs(t.app, 'Topic Admin', 'topic-admin@example.test');
  await User.updateOne({ email: 'topic-admin@example.test' }, { $set: { role: 'admin' } });
  const slug = answered!.topics![0]!;
  const topicsPage = `/banks/${shipped!._id}/topics`;
  assert.equal((await postForm(admin, topicsPage, `${topicsPage}/${slug}`, { name: 'Renamed by the admin' })).status, 303);
  assert.ok(rows((await student.get('/progress')).text).includes('Renamed by the admin'));
  const practice = (await student.get('/practice')).text;
  assert.match(practice, new RegExp(`<label for="topic-${slug}">Renamed by the admin</label>`));
});

test('the start-up migration gives a bank stored before topics were data the topics its questions use; a re-run changes nothing', async () => {
  const owner = await User.findOne({ email: demo('instructor').email }).lean();
  const shipped = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
  const [first, second] = shipped!.topics!;
  // A bank as an older Lectern stored it: no topics field at all.
  const old = await Bank.collection.insertOne({
    slug: 'old-bank',
    title: 'Old bank',
    description: '',
    sourceId: 'sco-policy-brief',
    ownerId: owner!._id,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  const def = {
    id: 'old-1',
    type: 'truefalse',
    prompt: 'Old?',
    topics: [second!.slug, 'legacy-tag', first!.slug],
    difficulty: 'easy',
    answer: true,
    source: { passageId: 'background-1', quote: 'Shanghai Five' },
    explanation: 'Old.',
  } as unknown as QuestionDefinition;
  await Question.create({ bankId: old.insertedId, key: 'old-1', ...questionFields(def), version: 1, retired: false });
  assert.equal(await giveBanksTopics(), 1);
  const migrated = await Bank.findById(old.insertedId).lean();
  assert.deepEqual(migrated!.topics, [first, second, { slug: 'legacy-tag', name: 'Legacy tag' }], 'named and ordered as the shipped bank, then by slug');
  const before = JSON.stringify(await Bank.find({}).sort({ _id: 1 }).lean());
  assert.equal(await giveBanksTopics(), 0);
  assert.equal(JSON.stringify(await Bank.find({}).sort({ _id: 1 }).lean()), before, 'a second run changes nothing');
  // The migrated bank works: its editor lists its topics.
  await Bank.updateOne({ _id: old.insertedId }, { $set: { ownerId: new mongoose.Types.ObjectId(String(owner!._id)) } });
  const editor = await instructor.get(`/banks/${old.insertedId}`);
  assert.equal(editor.status, 200);
  assert.match(editor.text, /<option value="legacy-tag">Legacy tag<\/option>/);
});
