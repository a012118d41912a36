// `npm run bench:progress`: the progress pages at the size the issue names: a class of 500
// students with 20 assigned quizzes (10 questions each, one submitted attempt per student and
// quiz), and a learner with 50,000 flashcard reviews and 5,000 practice answers over two years,
// studied in one sitting a day (BENCH_SPREAD=even spreads them evenly around the clock instead:
// the worst case for the aggregates' quarter-hour slots, one slot a record). The app listens on loopback with the
// embedded server in a worker thread, in memory, as `npm start` runs it. Each page is timed
// sequentially over HTTP and reported as a ratio to a plain page in the same layout (`/about`,
// no database access beyond the session) measured in the same rounds. Target: each under 10×.
import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { connectDatabase } from '../../server/db.ts';
import { createApp } from '../../server/app.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { User } from '../../server/accounts/model.ts';
import { Bank } from '../../server/banks/model.ts';
import { findQuestions } from '../../server/banks/service.ts';
import { Class, Enrolment } from '../../server/classes/model.ts';
import { Quiz, Attempt } from '../../server/quizzes/model.ts';
import { StudyCard, ReviewLog } from '../../server/study/model.ts';
import { LearnerResponse } from '../../server/responses/model.ts';
import { presentQuestion } from '../../server/questions/index.ts';
import { ensureLearnerAggregates } from '../../server/progress/learner-aggregates.ts';

const STUDENTS = 500;
const QUIZZES = 20;
const QUESTIONS_PER_QUIZ = 10;
const REVIEWS = 50_000;
const RESPONSES = 5_000;
const EVEN = process.env.BENCH_SPREAD === 'even';
/**
 * When record i of n happens over `days` days before yesterday: evenly around the clock, or in a
 * sitting each evening (from 18:00 UTC, a record every 20 s; the day's share of the n records).
 */
function recordTime(i: number, n: number, days: number): Date {
  if (EVEN) return new Date(now.getTime() - DAY - Math.floor((i / n) * days * DAY));
  const perDay = Math.ceil(n / days);
  const day = Math.floor(i / perDay);
  const evening = Math.floor((now.getTime() - (day + 1) * DAY) / DAY) * DAY + 18 * 3600_000;
  return new Date(evening + (i % perDay) * 20_000);
}
const ROUNDS = 7;
const REQUESTS_PER_ROUND = 10;
const TARGET = 10;
const DAY = 86_400_000;

const say = (line: string) => process.stdout.write(`${line}\n`);
const progress = (line: string) => process.stdout.write(`\r${line}   `);

const config = loadConfig(
  { NODE_ENV: 'production', LECTERN_DATA_DIR: ':memory:', LOG_LEVEL: 'silent', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123' },
  { dbName: 'lectern_bench_progress' },
);
const logger = createLogger('silent');
const now = new Date();
const db = await connectDatabase(config, logger, { inWorker: true });
say('embedded server: worker thread, in memory');
await seedDatabase({ demo: true, progress: () => undefined });
say('seeded: the SCO source, the shipped bank, the demo accounts');

const instructor = (await User.findOne({ email: DEMO_ACCOUNTS[0]!.email }).lean())!;
const learner = (await User.findOne({ email: DEMO_ACCOUNTS[1]!.email }).lean())!;
const bank = (await Bank.findOne({ slug: 'sco-policy-brief' }).lean())!;
const questions = await findQuestions(String(bank._id));

// ---- the class: 500 students (the demo student is one of them), 20 quizzes, 10,000 attempts
const cls = await Class.create({ name: 'Bench class', instructorId: instructor._id, joinCode: 'BENCH500' });
const others = Array.from({ length: STUDENTS - 1 }, (_, i) => ({
  _id: new mongoose.Types.ObjectId(),
  email: `student${i}@bench.example`,
  name: `Student ${String(i).padStart(3, '0')}`,
  passwordHash: 'x',
  role: 'student',
  demo: false,
}));
await User.collection.insertMany(others);
const students = [{ _id: learner._id, name: learner.name, email: learner.email }, ...others];
const studentIds = students.map((u) => u._id);
// Enrolments carry the student's name and email, as joining a class writes them.
await Enrolment.collection.insertMany(students.map((u) => ({ classId: cls._id, userId: u._id, joinedAt: now, name: u.name, email: u.email })));
say(`class: ${STUDENTS} students enrolled`);

const ability = studentIds.map((_, i) => 0.3 + (0.6 * ((i * 7919) % 500)) / 500);
let attemptCount = 0;
const quizIds: mongoose.Types.ObjectId[] = [];
for (let qn = 0; qn < QUIZZES; qn++) {
  const picked = Array.from({ length: QUESTIONS_PER_QUIZ }, (_, k) => questions[(qn * QUESTIONS_PER_QUIZ + k * 3) % questions.length]!);
  const dueAt = new Date(now.getTime() - (QUIZZES - qn) * DAY);
  const quiz = await Quiz.create({
    title: `Quiz ${qn + 1}`,
    ownerId: instructor._id,
    bankIds: [bank._id],
    selection: { mode: 'pick', questionIds: picked.map((q) => new mongoose.Types.ObjectId(q.id)), rules: [] },
    settings: { dueAt, attemptsAllowed: 2, gradingMethod: qn % 2 ? 'highest' : 'average' },
    classIds: [cls._id],
  });
  quizIds.push(quiz._id);
  const slotsBase = picked.map((q) => ({
    questionId: new mongoose.Types.ObjectId(q.id),
    bankId: bank._id,
    key: q.key,
    version: q.version,
    definition: q.definition,
    presentation: presentQuestion(q.definition),
  }));
  const batch = [];
  for (let s = 0; s < STUDENTS; s++) {
    if ((s + qn) % 25 === 0) continue; // a few missing
    const marks = picked.map((_, k) => (((s * 31 + k * 17 + qn * 13) % 100) / 100 < ability[s]! ? 1 : 0));
    const score = marks.reduce((a: number, b) => a + b, 0) / marks.length;
    const submittedAt = new Date(dueAt.getTime() + (s % 10 === 0 ? DAY / 2 : -DAY / 2));
    batch.push({
      quizId: quiz._id,
      userId: studentIds[s],
      classId: cls._id,
      number: 1,
      status: 'submitted',
      startedAt: new Date(submittedAt.getTime() - 600_000),
      deadline: null,
      submittedAt,
      submittedBy: 'student',
      score,
      marks,
      revision: 10,
      seed: `b${qn}-${s}`,
      slots: slotsBase.map((slot, k) => ({ ...slot, response: null, savedAt: submittedAt, score: marks[k] })),
      createdAt: submittedAt,
      updatedAt: submittedAt,
    });
  }
  await Attempt.collection.insertMany(batch);
  attemptCount += batch.length;
  progress(`quizzes: ${qn + 1}/${QUIZZES}, attempts: ${attemptCount.toLocaleString('en')}`);
}
say('');

// ---- the learner: a card per question, 50,000 reviews over two years, 5,000 practice answers
const cards = questions.map((q, i) => ({
  _id: new mongoose.Types.ObjectId(),
  userId: learner._id,
  questionId: new mongoose.Types.ObjectId(q.id),
  bankId: bank._id,
  topics: q.definition.topics,
  introducedAt: new Date(now.getTime() - 700 * DAY),
  due: new Date(now.getTime() + ((i % 14) - 3) * DAY),
  stability: 5 + (i % 30),
  difficulty: 5,
  elapsed_days: 3,
  scheduled_days: 5,
  learning_steps: 0,
  reps: 200,
  lapses: 3,
  state: 2,
  last_review: new Date(now.getTime() - ((i % 9) + 1) * DAY),
  createdAt: now,
  updatedAt: now,
}));
await StudyCard.collection.insertMany(cards);
for (let from = 0; from < REVIEWS; from += 5_000) {
  const batch = Array.from({ length: 5_000 }, (_, j) => {
    const i = from + j;
    const card = cards[i % cards.length]!;
    const review = recordTime(i, REVIEWS, 730);
    return {
      userId: learner._id,
      cardId: card._id,
      questionId: card.questionId,
      bankId: bank._id,
      topics: card.topics,
      rating: 1 + (i % 4),
      state: 2,
      due: review,
      stability: 10,
      difficulty: 5,
      elapsed_days: 3,
      last_elapsed_days: 3,
      scheduled_days: 5,
      learning_steps: 0,
      review,
      nextState: 2,
      nextDue: new Date(review.getTime() + 5 * DAY),
      nextStability: 12,
      typedScore: null,
    };
  });
  await ReviewLog.collection.insertMany(batch);
  progress(`reviews: ${(from + 5_000).toLocaleString('en')}/${REVIEWS.toLocaleString('en')}`);
}
say('');
const responses = Array.from({ length: RESPONSES }, (_, i) => {
  const q = questions[(i * 7) % questions.length]!;
  return {
    userId: learner._id,
    source: 'practice',
    sourceRef: new mongoose.Types.ObjectId(),
    bankId: bank._id,
    questionId: new mongoose.Types.ObjectId(q.id),
    questionKey: q.key,
    questionVersion: 1,
    type: q.definition.type,
    topics: q.definition.topics,
    passageId: q.definition.source.passageId,
    score: i % 3 ? 1 : 0,
    correct: i % 3 !== 0,
    answeredAt: recordTime(i, RESPONSES, 700),
  };
});
await LearnerResponse.collection.insertMany(responses);
say(
  `learner: ${cards.length} cards, ${REVIEWS.toLocaleString('en')} reviews, ${RESPONSES.toLocaleString('en')} practice answers, ${EVEN ? 'spread evenly around the clock' : 'in a sitting each evening'}`,
);
// Loaded past the writers: fold them into the learner aggregates as start-up's migration does.
await ensureLearnerAggregates();

// ---- the app on loopback
const app = createApp({ config, logger, db, clock: () => new Date() });
const server = http.createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(path: string, cookie = ''): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { agent, headers: { cookie, 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, body: body.toString('utf8'), headers: res.headers });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function post(path: string, body: string, cookie: string): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${path}`,
      { method: 'POST', agent, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const cookiesOf = (h: http.IncomingHttpHeaders) => (h['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

async function login(email: string, password: string): Promise<string> {
  const page = await get('/login');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const res = await post('/login', new URLSearchParams({ _csrf: token, email, password }).toString(), cookiesOf(page.headers));
  if (res.status !== 302) throw new Error(`login failed: ${res.status}`);
  return cookiesOf(res.headers) || cookiesOf(page.headers);
}

const teacherCookie = await login(DEMO_ACCOUNTS[0]!.email, DEMO_ACCOUNTS[0]!.password);
const learnerCookie = await login(DEMO_ACCOUNTS[1]!.email, DEMO_ACCOUNTS[1]!.password);

const pages = [
  { name: 'gradebook (page 1 of 10)', path: `/classes/${cls._id}/gradebook`, cookie: teacherCookie },
  { name: 'item statistics', path: `/quizzes/${quizIds[QUIZZES - 1]}/statistics`, cookie: teacherCookie },
  { name: 'learner dashboard', path: '/progress', cookie: learnerCookie },
];
const baseline = { name: 'plain page (/about)', path: '/about', cookie: learnerCookie };

// First views (the dashboard reads the learner's aggregate document).
for (const p of [baseline, ...pages]) {
  const t0 = performance.now();
  const res = await get(p.path, p.cookie);
  if (res.status !== 200) throw new Error(`${p.path}: ${res.status}`);
  say(`first view  ${p.name.padEnd(26)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms`);
}

async function timeOnce(p: { path: string; cookie: string }): Promise<number> {
  const t0 = performance.now();
  const res = await get(p.path, p.cookie);
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${p.path}: ${res.status}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const samples = new Map<string, number[]>([[baseline.name, []], ...pages.map((p) => [p.name, []] as [string, number[]])]);
const ratios = new Map<string, number[]>(pages.map((p) => [p.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const roundMedian = new Map<string, number>();
  for (const p of [baseline, ...pages]) {
    const xs: number[] = [];
    for (let i = 0; i < REQUESTS_PER_ROUND; i++) xs.push(await timeOnce(p));
    samples.get(p.name)!.push(...xs);
    roundMedian.set(p.name, median(xs));
  }
  for (const p of pages) ratios.get(p.name)!.push(roundMedian.get(p.name)! / roundMedian.get(baseline.name)!);
  progress(`timing: round ${round + 1}/${ROUNDS}`);
}
say('');
say(`\n${'page'.padEnd(28)}${'median ms'.padStart(10)}${'ratio'.padStart(9)}  target < ${TARGET}×`);
say(`${baseline.name.padEnd(28)}${median(samples.get(baseline.name)!).toFixed(2).padStart(10)}${'1.0×'.padStart(9)}`);
let over = 0;
for (const p of pages) {
  const r = median(ratios.get(p.name)!);
  if (r >= TARGET) over++;
  say(`${p.name.padEnd(28)}${median(samples.get(p.name)!).toFixed(2).padStart(10)}${`${r.toFixed(1)}×`.padStart(9)}  ${r < TARGET ? 'ok' : 'OVER'}`);
}
server.close();
agent.destroy();
await db.close();
process.exit(over ? 1 : 0);
