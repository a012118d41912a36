import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import mongoose from 'mongoose';
import request from 'supertest';
import { startTestApp, registerAs, type TestApp } from '../helpers/test-app.ts';
import { User } from '../../server/accounts/model.ts';
import { listRoutes, type RouteInfo } from './routes.ts';
import {
  createClass,
  joinClass,
  createQuiz,
  startAttempt,
  saveJson,
  questionsOfTypes,
  shippedBankId,
  correctResponse,
  post,
  newInstructor,
} from '../quizzes/helpers.ts';

/**
 * Property test over every route: random and malicious values as forms and JSON, sent by an
 * attacker (anonymous, a student, an instructor) with valid CSRF tokens, so that the input
 * reaches the handlers. Never a 5xx, the app keeps answering, and the victim's data is unchanged.
 */

let t: TestApp;
let victimId: string;
const ids: { victim: string[]; attacker: string[] } = { victim: [], attacker: [] };

const FIELD_NAMES = [
  'name',
  'email',
  'password',
  'currentPassword',
  'newPassword',
  'confirmPassword',
  'code',
  'role',
  'title',
  'description',
  'sourceId',
  'type',
  'prompt',
  'topics',
  'difficulty',
  'passageId',
  'quote',
  'explanation',
  'choices',
  'answers',
  'answer',
  'tolerance',
  'unit',
  'text',
  'pairs',
  'items',
  'format',
  'commit',
  'bankId',
  'bankIds',
  'bank',
  'topic',
  'mode',
  'types',
  'length',
  'position',
  'questionId',
  'questionIds',
  'choice',
  'value',
  'rating',
  'reps',
  'lastReview',
  'classIds',
  'timeLimitMinutes',
  'opensAt',
  'dueAt',
  'closesAt',
  'attemptsAllowed',
  'gradingMethod',
  'shuffleQuestions',
  'shuffleChoices',
  'feedbackTiming',
  'reviewShows',
  'passMark',
  'version',
  'blank1',
  'blank2',
  'next',
  'order',
  'blanks',
  'defaultTopic',
  'defaultPassageId',
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '$ne',
  '$gt',
  'email[$ne]',
  'topics[$in]',
  'a.b',
  '',
];

const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202e\u200b\ufeff',
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    '{{1}}',
    '../../etc/passwd',
    '%00',
    '$where',
    '{"$gt":""}',
    '=cmd|/C calc!A0',
    'x'.repeat(20_000),
    '9'.repeat(400),
    'NaN',
    '-0',
    '1e309',
    'true',
    'null',
    '[object Object]',
    '__proto__',
    'K7QM-2XPA',
    'sco-policy-brief',
    '2026-11-28T10:00',
    '\ud800',
  ),
);
const nastyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nastyString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308, 2 ** 64),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('$ne', '$gt', '$where', '__proto__', 'constructor', 'x', '0'), tie('value'), { maxKeys: 3 }),
  ),
})).value;
const fieldName = fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 12 }), fc.constantFrom('match_abc', 'position_abc', 'typed_text'));
const body = fc.dictionary(fieldName, nastyValue, { maxKeys: 8 });

function paramPool(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...ids.victim, ...ids.attacker, '000000000000000000000000', 'sco-policy-brief', '1', '0', '-1', '999999'),
    fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s) || 'x'),
    fc.constantFrom('%2e%2e', '%00', 'ffffffffffffffffffffffff', '__proto__', 'constructor', `${'a'.repeat(500)}`),
  );
}

function fillPath(path: string, values: string[]): string {
  let i = 0;
  return path.replace(/:(\w+)/g, () => values[i++ % values.length] ?? 'x');
}

/** A digest of every document that mentions the victim, in every collection. */
async function victimDigest(): Promise<{ digest: string; documents: number }> {
  const db = mongoose.connection.db!;
  const oid = new mongoose.Types.ObjectId(victimId);
  const hash = createHash('sha256');
  let documents = 0;
  const collections = (await db.listCollections().toArray())
    .map((c) => c.name)
    .filter((n) => n !== 'sessions')
    .sort();
  for (const name of collections) {
    const docs = await db
      .collection(name)
      .find({ $or: [{ _id: oid }, { userId: oid }, { ownerId: oid }, { studentIds: oid }, { students: oid }, { 'roster.userId': oid }] })
      .sort({ _id: 1 })
      .toArray();
    documents += docs.length;
    hash.update(name + JSON.stringify(docs));
  }
  return { digest: hash.digest('hex'), documents };
}

async function tokenOf(agent: request.Agent): Promise<string> {
  const res = await agent.get('/about');
  return /name="csrf-token" content="([^"]*)"/.exec(res.text)![1]!;
}

let attackers: Array<{ who: string; agent: request.Agent }> = [];
let routes: RouteInfo[] = [];

before(async () => {
  t = await startTestApp({ loginRateLimit: 10_000 }, { seed: true });
  // The victim: a student with a class, an attempt in progress with a saved answer, practice and study history.
  const owner = await newInstructor(t.app, 'Victim Teacher', 'victim-teacher@example.com');
  const victim = await registerAs(t.app, 'Victim', 'victim@example.com');
  victimId = String((await User.findOne({ email: 'victim@example.com' }).lean())!._id);
  const cls = await createClass(owner, 'Victim class');
  await joinClass(victim, cls.code);
  const qs = await questionsOfTypes(['mcq', 'short']);
  const quizId = await createQuiz(owner, { questionIds: qs.map((q) => q.id), classIds: [cls.id], timeLimitMinutes: '' });
  const attemptId = await startAttempt(victim, quizId);
  const res = await saveJson(victim, await tokenOf(victim), attemptId, 1, correctResponse(qs[0]!.definition));
  assert.ok(res.status < 300, `victim's answer saved: ${res.status} ${res.text.slice(0, 200)}`);
  const practice = await post(victim, '/practice', '/practice', { bankId: await shippedBankId(), mode: 'new', length: 5 });
  assert.ok(practice.status < 400);
  const practiceId = /\/practice\/([a-f0-9]{24})/.exec(practice.headers.location ?? '')?.[1];
  ids.victim.push(victimId, cls.id, quizId, attemptId, ...(practiceId ? [practiceId] : []), ...qs.map((q) => q.id));

  const student = await registerAs(t.app, 'Attacker', 'attacker@example.com');
  const instructor = await newInstructor(t.app, 'Attacker Teacher', 'attacker-teacher@example.com');
  const own = await createClass(instructor, 'Attacker class');
  ids.attacker.push(String((await User.findOne({ email: 'attacker@example.com' }).lean())!._id), own.id, await shippedBankId());
  attackers = [
    { who: 'anonymous', agent: request.agent(t.app) },
    { who: 'student', agent: student },
    { who: 'instructor', agent: instructor },
  ];
  routes = listRoutes(t.app).filter((r) => r.path !== '/logout');
});
after(() => t?.close());

test('the route list covers every feature', () => {
  const prefixes = ['/login', '/register', '/account', '/admin', '/banks', '/practice', '/study', '/classes', '/quizzes', '/attempts', '/sources', '/progress'];
  for (const p of prefixes)
    assert.ok(
      routes.some((r) => r.path.startsWith(p)),
      `a route under ${p}`,
    );
});

test('random and malicious input on every route: never a 5xx, never a crash, never a change to the victim', async (ctx) => {
  const before = await victimDigest();
  assert.ok(before.documents >= 4, `the victim has data to protect (${before.documents} documents)`);
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  const tokens = new Map<string, string>();
  for (const a of attackers) tokens.set(a.who, await tokenOf(a.agent));
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...routes),
      fc.constantFrom(...attackers.map((a) => a.who)),
      fc.array(paramPool(), { minLength: 1, maxLength: 3 }),
      body,
      fc.constantFrom('form', 'json', 'query'),
      async (route, who, params, fields, encoding) => {
        const { agent } = attackers.find((a) => a.who === who)!;
        const path = fillPath(route.path, params);
        let res: request.Response;
        if (route.method === 'get' || encoding === 'query') {
          const query = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 2000) : (JSON.stringify(v) ?? '')]));
          res = await agent.get(`${path}?${query}`);
        } else if (encoding === 'json') {
          res = await agent
            .post(path)
            .set('x-csrf-token', tokens.get(who)!)
            .set('Accept', 'application/json')
            .send(fields as object);
        } else {
          const form = new URLSearchParams();
          form.append('_csrf', tokens.get(who)!);
          for (const [k, v] of Object.entries(fields)) {
            for (const item of Array.isArray(v) ? v : [v]) form.append(k, typeof item === 'string' ? item : (JSON.stringify(item) ?? ''));
          }
          res = await agent.post(path).type('form').send(form.toString());
        }
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) failures.push(`${who} ${route.method.toUpperCase()} ${path} (${encoding}) → ${res.status}: ${res.text.slice(0, 200)}`);
        return res.status < 500;
      },
    ),
    { numRuns: 600, seed: 20261128, endOnFailure: true },
  );
  ctx.diagnostic(
    `statuses: ${[...statuses]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`,
  );
  assert.deepEqual(failures, []);
  // The input must reach the handlers, not stop at the CSRF check or the guards.
  assert.ok((statuses.get(400) ?? 0) > 20, 'many requests were refused by validation');
  assert.ok(
    [...statuses].some(([s, n]) => s < 400 && n > 20),
    'many requests were served',
  );
  assert.equal((await request(t.app).get('/healthz')).status, 200, 'still answering');
  assert.deepEqual(await victimDigest(), before, "the victim's data is unchanged");
});
