/**
 * `npm run bench`: throughput and p99 latency of Lectern under 100 concurrent connections.
 * Lectern runs as `npm start` does (embedded database, durable, in its own process); this
 * process seeds a class over HTTP and drives the load on loopback: first as fast as the
 * connections carry it (autocannon), each figure a ratio to a baseline measured in the same
 * run (`/about`, a route of the same app that renders the layout with no database access);
 * then the targets' pages offered 0.4 × the baseline's rate at a steady pace, for their p99
 * (paced-load.ts). A benchmark, not a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { pacedLoad, type PacedRequest } from './paced-load.ts';
import { startLectern, stopProcess, seedDataDir } from '../helpers/lectern-process.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const STUDENTS = 100;
// BENCH_ONLY=save runs the baseline and the scenarios whose name contains it; BENCH_PROFILE=dir
// writes a CPU profile of the app process there (for finding where a scenario's time goes).
const ONLY = process.env.BENCH_ONLY;
const PROFILE_DIR = process.env.BENCH_PROFILE;

/** A tiny cookie-keeping HTTP client for the set-up (fetch with manual redirects). */
class Client {
  cookies = new Map<string, string>();
  constructor(readonly base: string) {}
  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async request(method: string, url: string, body?: Record<string, string | string[]>): Promise<{ status: number; text: string; location: string | null }> {
    let payload: string | undefined;
    if (body) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(body)) for (const item of Array.isArray(v) ? v : [v]) form.append(k, item);
      payload = form.toString();
    }
    const res = await fetch(this.base + url, {
      method,
      redirect: 'manual',
      headers: { cookie: this.cookieHeader, ...(payload ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: payload,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  }
  async token(): Promise<string> {
    const page = await this.request('GET', '/about');
    return /name="csrf-token" content="([^"]*)"/.exec(page.text)![1]!;
  }
  async form(url: string, fields: Record<string, string | string[]>) {
    return this.request('POST', url, { _csrf: await this.token(), ...fields });
  }
}

interface Scenario {
  name: string;
  /** The next request of the scenario (a different student each time). */
  request(): PacedRequest;
}

function progress(line: string) {
  process.stdout.write(`${line}\n`);
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-bench-'));
  progress('seeding the data directory (source, bank, demo accounts)…');
  const { bankId, mcqs } = await seedDataDir(dataDir, 10);
  const lectern = await startLectern(
    dataDir,
    {
      SESSION_SECRET: randomBytes(32).toString('hex'),
      LOGIN_RATE_LIMIT: '10000',
      NEW_CARDS_PER_DAY: '1000',
    },
    PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
  );
  progress(`Lectern (embedded, durable) at ${lectern.url}`);
  try {
    const instructor = new Client(lectern.url);
    await instructor.form('/login', { email: DEMO_ACCOUNTS[0]!.email, password: DEMO_ACCOUNTS[0]!.password });
    const cls = await instructor.form('/classes', { name: 'Benchmark class' });
    const classId = /([a-f0-9]{24})$/.exec(cls.location ?? '')![1]!;
    const code = /data-testid="join-code"[^>]*>([^<]+)</.exec((await instructor.request('GET', `/classes/${classId}`)).text)![1]!;
    const quiz = await instructor.form('/quizzes', {
      title: 'Benchmark quiz',
      bankIds: bankId,
      mode: 'pick',
      questionIds: mcqs.map((q) => q.id),
      classIds: classId,
      attemptsAllowed: '0',
      gradingMethod: 'highest',
      feedbackTiming: 'immediately',
      reviewShows: 'explanations',
    });
    const quizId = /([a-f0-9]{24})$/.exec(quiz.location ?? '')![1]!;

    const students: Array<{ cookie: string; token: string; attemptId: string }> = [];
    for (let i = 0; i < STUDENTS; i++) {
      const s = new Client(lectern.url);
      const reg = await s.form('/register', { name: `Bench Student ${i}`, email: `bench${i}@example.com`, password: 'benchmark password' });
      if (reg.status !== 302) throw new Error(`registration failed: ${reg.status}`);
      await s.form('/classes/join', { code });
      const attempt = await s.form(`/quizzes/${quizId}/attempts`, {});
      const attemptId = /\/attempts\/([a-f0-9]{24})/.exec(attempt.location ?? '')![1]!;
      // Some history for the dashboard and a card on the study queue.
      await s.request('GET', `/study/session?bank=${bankId}`);
      const token = await s.token();
      students.push({ cookie: s.cookieHeader, token, attemptId });
      if ((i + 1) % 20 === 0) progress(`  students ready: ${i + 1}/${STUDENTS}`);
    }

    let turn = 0;
    const next = () => students[turn++ % students.length]!;
    const get = (path: string, cookie?: string): PacedRequest => ({ method: 'GET', path, headers: cookie ? { cookie } : {} });

    const scenarios: Scenario[] = [
      { name: 'baseline: /about (layout, no database)', request: () => get('/about') },
      // Not a target: what signing in costs every page (session and user read from the database).
      { name: 'signed-in page: /account', request: () => get('/account', next().cookie) },
      { name: 'flashcard page: /study/session', request: () => get(`/study/session?bank=${bankId}`, next().cookie) },
      {
        name: 'save an answer: POST /attempts/:id/slots/:n',
        request: () => {
          const s = next();
          const slot = (turn % mcqs.length) + 1;
          const choice = mcqs[slot - 1]!.choices[turn % mcqs[slot - 1]!.choices.length]!.id;
          return {
            method: 'POST',
            path: `/attempts/${s.attemptId}/slots/${slot}`,
            headers: { cookie: s.cookie, 'x-csrf-token': s.token, 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ type: 'mcq', choice }),
          };
        },
      },
      { name: 'learner dashboard: /progress', request: () => get('/progress', next().cookie) },
    ];
    /** As many requests as the connections can carry (closed loop: each waits for its answer). */
    const saturate = (s: Scenario) =>
      autocannon({
        url: lectern.url,
        connections: CONNECTIONS,
        duration: DURATION_S,
        title: s.name,
        requests: [{ setupRequest: (req) => ({ ...req, ...s.request() }) }],
      });

    const rows: Array<{ name: string; rps: number; p99: number; non2xx: number; errors: number }> = [];
    for (const s of scenarios.filter((x, i) => i === 0 || !ONLY || x.name.includes(ONLY))) {
      progress(`running ${s.name} (${CONNECTIONS} connections, ${DURATION_S} s)…`);
      const r = await saturate(s);
      rows.push({ name: s.name, rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
    }

    const base = rows[0]!;
    progress('');
    progress(`results (${CONNECTIONS} connections, loopback; ratios against the baseline in this run):`);
    progress('  scenario                                        req/s    p99 ms   ratio   non-2xx  errors');
    for (const r of rows) {
      const ratio = r.rps / base.rps;
      progress(
        `  ${r.name.padEnd(46)} ${r.rps.toFixed(0).padStart(6)}  ${r.p99.toFixed(0).padStart(7)}   ${ratio.toFixed(2).padStart(5)}   ${String(r.non2xx).padStart(7)}  ${String(r.errors).padStart(6)}`,
      );
    }
    // Closed loop (each connection waits for its answer), the mean latency is connections ÷
    // throughput, so a p99 under 50 ms at 100 connections needs over 2,000 req/s. The targets'
    // p99 is also measured where it says something: offered the target throughput (0.4 of the
    // baseline's) at a steady rate over the same 100 connections (paced-load.ts).
    const targetRate = Math.round(0.4 * base.rps);
    const paced: Array<{ name: string; p50: number; p99: number; rps: number; non2xx: number; errors: number }> = [];
    // The baseline at the same rate: what the machine gives a page with no database at all.
    for (const name of ['baseline', 'flashcard page', 'save an answer']) {
      const s = scenarios.find((x) => x.name.startsWith(name));
      if (!s || !rows.some((r) => r.name === s.name)) continue;
      progress(`running ${s.name} offered ${targetRate} req/s (${CONNECTIONS} connections, ${DURATION_S} s)…`);
      const r = await pacedLoad({ url: lectern.url, connections: CONNECTIONS, rate: targetRate, seconds: DURATION_S, next: () => s.request() });
      paced.push({ name: s.name, ...r });
    }
    if (paced.length) {
      progress('');
      progress(`offered the target throughput, 0.4 × baseline = ${targetRate} req/s, over ${CONNECTIONS} connections:`);
      progress('  scenario                                        req/s    p50 ms   p99 ms   non-2xx  errors');
      for (const r of paced) {
        progress(
          `  ${r.name.padEnd(46)} ${r.rps.toFixed(0).padStart(6)}  ${r.p50.toFixed(0).padStart(7)}  ${r.p99.toFixed(0).padStart(7)}   ${String(r.non2xx).padStart(7)}  ${String(r.errors).padStart(6)}`,
        );
      }
    }
    progress('');
    for (const name of ['flashcard page', 'save an answer']) {
      const r = rows.find((x) => x.name.startsWith(name));
      if (!r) continue;
      const ratio = r.rps / base.rps;
      const p = paced.find((x) => x.name === r.name);
      progress(`  target ${name}: throughput ≥ 0.4 of baseline: ${ratio >= 0.4 ? 'met' : 'NOT MET'} (${ratio.toFixed(2)})`);
      progress(
        `  target ${name}: p99 < 50 ms at ${CONNECTIONS} connections, saturated: ${r.p99 < 50 ? 'met' : 'NOT MET'} (${r.p99.toFixed(0)} ms; closed-loop mean is ${CONNECTIONS} ÷ ${r.rps.toFixed(0)} req/s = ${((1000 * CONNECTIONS) / r.rps).toFixed(0)} ms)`,
      );
      if (p)
        progress(
          `  target ${name}: p99 < 50 ms at ${CONNECTIONS} connections, offered ${targetRate} req/s: ${p.p99 < 50 ? 'met' : 'NOT MET'} (${p.p99.toFixed(0)} ms)`,
        );
    }
  } finally {
    await stopProcess(lectern.child, 'SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
