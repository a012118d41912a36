import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../../server/embedded-mongo/index.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { startAttempt, post, joinClass } from '../quizzes/helpers.ts';
import { startLectern, stopProcess, seedDataDir } from '../helpers/lectern-process.ts';

/**
 * Durability of the whole app: Lectern runs in a child process on its embedded database;
 * students answer over HTTP; the process is killed with SIGKILL at a random moment. After a
 * restart every answer that got a success response is stored, and attempts in progress resume.
 */

const env = { SESSION_SECRET: randomBytes(32).toString('hex'), LOGIN_RATE_LIMIT: '1000' };

async function signIn(url: string, email: string, password: string): Promise<request.Agent> {
  const agent = request.agent(url);
  const res = await post(agent, '/login', '/login', { email, password });
  assert.equal(res.status, 302, `login ${email}`);
  return agent;
}

async function register(url: string, i: number): Promise<request.Agent> {
  const agent = request.agent(url);
  const res = await post(agent, '/register', '/register', { name: `Student ${i}`, email: `s${i}@example.com`, password: 'durable password' });
  assert.equal(res.status, 302);
  return agent;
}

test('answers acknowledged before a SIGKILL survive it, and attempts in progress resume', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-kill-'));
  // Seed the data directory as npm start would, and read ten multiple-choice questions from it.
  const { bankId, mcqs } = await seedDataDir(dataDir);
  let lectern = await startLectern(dataDir, env);
  try {
    const instructor = await signIn(lectern.url, DEMO_ACCOUNTS[0]!.email, DEMO_ACCOUNTS[0]!.password);
    const created = await post(instructor, '/classes', '/classes', { name: 'Durability class' });
    assert.equal(created.status, 303);
    const classPage = await instructor.get(created.headers.location!);
    const cls = {
      id: /\/classes\/([a-f0-9]{24})$/.exec(created.headers.location!)![1]!,
      code: /data-testid="join-code"[^>]*>([^<]+)</.exec(classPage.text)![1]!,
    };
    const quiz = await post(instructor, '/quizzes/new', '/quizzes', {
      title: 'Durability quiz',
      bankIds: bankId,
      mode: 'pick',
      questionIds: mcqs.map((q) => q.id),
      classIds: cls.id,
      attemptsAllowed: 1,
      gradingMethod: 'highest',
      feedbackTiming: 'immediately',
      reviewShows: 'explanations',
    });
    assert.equal(quiz.status, 303, quiz.text.slice(0, 300));
    const quizId = /\/quizzes\/([a-f0-9]{24})$/.exec(quiz.headers.location!)![1]!;

    const students: Array<{ agent: request.Agent; attemptId: string; token: string }> = [];
    for (let i = 0; i < 6; i++) {
      const agent = await register(lectern.url, i);
      assert.equal((await joinClass(agent, cls.code)).status, 303);
      const attemptId = await startAttempt(agent, quizId);
      const page = await agent.get('/about');
      const token = /name="csrf-token" content="([^"]*)"/.exec(page.text)![1]!;
      students.push({ agent, attemptId, token });
    }

    // Every student answers slot after slot, choosing in turn each choice; the acknowledged ones are recorded.
    const acked = new Map<string, string>(); // `${attemptId}:${slot}` → choice id of the last acknowledged save
    const sentAfterAck = new Map<string, string[]>(); // choices sent after that, whose fate is unknown
    let stop = false;
    const work = students.map(async (s, si) => {
      for (let round = 0; !stop; round++) {
        const slot = (round % mcqs.length) + 1;
        const def = mcqs[slot - 1]!;
        const choice = def.choices[(round + si) % def.choices.length]!.id;
        const key = `${s.attemptId}:${slot}`;
        sentAfterAck.set(key, [...(sentAfterAck.get(key) ?? []), choice]);
        try {
          const res = await s.agent
            .post(`/attempts/${s.attemptId}/slots/${slot}`)
            .set('x-csrf-token', s.token)
            .set('Accept', 'application/json')
            .send({ type: 'mcq', choice });
          if (res.status === 200 && res.body.saved) {
            acked.set(key, choice);
            sentAfterAck.set(key, []);
          }
        } catch {
          return; // the connection died with the process
        }
      }
    });
    // Kill at a random moment once every student has had an answer acknowledged (a loaded machine
    // takes longer to get there; polled, not timed).
    for (const giveUp = Date.now() + 60_000; acked.size < 6 && Date.now() < giveUp;) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 700)));
    await stopProcess(lectern.child);
    stop = true;
    await Promise.all(work);
    assert.ok(acked.size >= 6, `answers were acknowledged before the kill (${acked.size})`);

    // Read the data directory directly: every acknowledged answer is there (or a later one sent before the kill).
    const db = await startEmbeddedMongo({ dataDir });
    const conn = await mongoose.createConnection(db.uri, { dbName: 'lectern' }).asPromise();
    try {
      const attempts = await conn.collection('attempts').find({}).toArray();
      for (const [key, choice] of acked) {
        const [attemptId, slot] = key.split(':');
        const attempt = attempts.find((a) => String(a._id) === attemptId)!;
        const stored = attempt.slots[Number(slot) - 1].response?.choice;
        const allowed = [choice, ...(sentAfterAck.get(key) ?? [])];
        assert.ok(allowed.includes(stored), `${key}: stored ${stored}, acknowledged ${choice}`);
      }
      for (const a of attempts) assert.equal(a.status, 'in-progress');
    } finally {
      await conn.close();
      await db.close();
    }

    // Restart Lectern: the students' sessions and attempts are still there and resume.
    lectern = await startLectern(dataDir, env);
    for (const s of students) {
      const agent = request.agent(lectern.url);
      // Sessions are in the database, so the old cookies still sign the students in.
      (agent as unknown as { jar: unknown }).jar = (s.agent as unknown as { jar: unknown }).jar;
      const res = await agent.get(`/attempts/${s.attemptId}`).redirects(2);
      assert.equal(res.status, 200, `attempt ${s.attemptId} resumes`);
      assert.doesNotMatch(res.text, /Log in<\/h1>/);
    }
  } finally {
    await stopProcess(lectern.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
