/**
 * `npm run bench:scale [-- --scale 0.1]`: a school's year on one machine. The bulk loader
 * (scale-load.ts) writes 2,000 students in 40 classes (times the scale), 200 quizzes with 20
 * attempts each per class, and 1,500 flashcard reviews and 500 practice answers per student
 * (about 4 million documents at scale 1) into a data directory; then Lectern runs as `npm start`
 * does (its own process, embedded database in a worker, durable) and this prints, each with its
 * target and "met" or "NOT MET": resident memory with the data loaded, restart until /healthz
 * answers, the median time of four pages as ratios to /about in the same rounds, and findOne by
 * an indexed field on a freshly started server as a ratio to ping. A benchmark, not a test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { START_NODE_FLAGS, stopProcess, type LecternProcess } from '../helpers/lectern-process.ts';
import { startEmbeddedMongo } from '../../server/embedded-mongo/index.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { loadSchool, YEAR } from './scale-load.ts';

const option = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const SCALE = Number(option('--scale') ?? 1);
// --data DIR keeps the loaded school in DIR and reuses it on the next run (loading takes minutes).
const KEEP = option('--data');
if (!(SCALE > 0 && SCALE <= 1)) throw new Error('--scale takes a number in (0, 1]');
const ROUNDS = 5;
const REQUESTS_PER_ROUND = 8;
const say = (line: string) => process.stdout.write(`${line}\n`);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const results: Array<{ name: string; value: string; target: string; met: boolean }> = [];
const report = (name: string, value: string, target: string, met: boolean) => results.push({ name, value, target, met });

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

function client(base: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const request = (method: string, url: string, cookie: string, body?: string) =>
    new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      const headers: Record<string, string | number> = { cookie, 'accept-encoding': 'gzip' };
      if (body) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) });
      const req = http.request(`${base}${url}`, { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            body: (res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw).toString('utf8'),
            headers: res.headers,
          });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  const cookiesOf = (h: http.IncomingHttpHeaders) => (h['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  return {
    get: (url: string, cookie = '') => request('GET', url, cookie),
    async login(email: string, password: string): Promise<string> {
      const page = await request('GET', '/login', '');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const res = await request('POST', '/login', cookiesOf(page.headers), new URLSearchParams({ _csrf: token, email, password }).toString());
      if (res.status !== 302) throw new Error(`login failed: ${res.status}`);
      return cookiesOf(res.headers) || cookiesOf(page.headers);
    },
    close: () => agent.destroy(),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timePages(lectern: LecternProcess, school: { bankId: string; classId: string; quizId: string }) {
  const c = client(lectern.url);
  const teacher = await c.login(DEMO_ACCOUNTS[0]!.email, DEMO_ACCOUNTS[0]!.password);
  const learner = await c.login(DEMO_ACCOUNTS[1]!.email, DEMO_ACCOUNTS[1]!.password);
  const baseline = { name: '/about', path: '/about', cookie: learner };
  const pages = [
    { name: 'learner dashboard', path: '/progress', cookie: learner },
    { name: 'flashcard page', path: `/study/session?bank=${school.bankId}`, cookie: learner },
    { name: 'gradebook page', path: `/classes/${school.classId}/gradebook`, cookie: teacher },
    { name: 'item statistics', path: `/quizzes/${school.quizId}/statistics`, cookie: teacher },
  ];
  const once = async (p: typeof baseline) => {
    const t0 = performance.now();
    const res = await c.get(p.path, p.cookie);
    if (res.status !== 200) throw new Error(`${p.path}: ${res.status}`);
    return performance.now() - t0;
  };
  for (const p of [baseline, ...pages]) say(`  first view  ${p.name.padEnd(20)} ${(await once(p)).toFixed(1).padStart(8)} ms`);
  const ms = new Map<string, number[]>([baseline, ...pages].map((p) => [p.name, []]));
  const ratios = new Map<string, number[]>(pages.map((p) => [p.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const roundMedian = new Map<string, number>();
    for (const p of [baseline, ...pages]) {
      const xs: number[] = [];
      for (let i = 0; i < REQUESTS_PER_ROUND; i++) xs.push(await once(p));
      ms.get(p.name)!.push(...xs);
      roundMedian.set(p.name, median(xs));
    }
    for (const p of pages) ratios.get(p.name)!.push(roundMedian.get(p.name)! / roundMedian.get(baseline.name)!);
    say(`  timing: round ${round + 1}/${ROUNDS} (load ${load()})`);
  }
  c.close();
  say(`  /about median ${median(ms.get('/about')!).toFixed(2)} ms`);
  for (const p of pages) {
    const r = median(ratios.get(p.name)!);
    report(`${p.name} (median ${median(ms.get(p.name)!).toFixed(1)} ms)`, `${r.toFixed(1)}x /about`, '< 10x', r < 10);
  }
}

const started: ChildProcess[] = [];

/** Lectern as `npm start` runs it (test/helpers' startLectern, with no 60 s limit on start-up). */
function startLectern(dataDir: string, env: Record<string, string>): Promise<LecternProcess> {
  const child = spawn(process.execPath, [...START_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, MONGODB_URI: '', PORT: '0', LECTERN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Lectern is running at (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => reject(new Error(`Lectern exited with ${code}:\n${out}`)));
  });
}

async function restartTime(dataDir: string, env: Record<string, string>): Promise<{ lectern: LecternProcess; ms: number }> {
  const t0 = performance.now();
  const lectern = await startLectern(dataDir, env);
  for (;;) {
    const ok = await fetch(`${lectern.url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { lectern, ms: performance.now() - t0 };
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** findOne by a unique indexed field, each key read once, on a server just started, against ping. */
async function coldFindOne(dataDir: string, students: number): Promise<void> {
  const t0 = performance.now();
  const db = await startEmbeddedMongo({ dataDir });
  say(`  embedded server alone started in ${(performance.now() - t0).toFixed(0)} ms`);
  const mc = await MongoClient.connect(db.uri);
  try {
    const users = mc.db('lectern').collection('users');
    const time = async (f: () => Promise<unknown>) => {
      const s = performance.now();
      await f();
      return performance.now() - s;
    };
    const n = Math.min(200, students - 1);
    const find: number[] = [];
    const ping: number[] = [];
    for (let i = 0; i < n; i++) {
      find.push(await time(() => users.findOne({ email: `student${i}@school.example` })));
      ping.push(await time(() => mc.db('admin').command({ ping: 1 })));
    }
    const ratio = median(ping) / median(find);
    report(
      `findOne by email, cold (median ${median(find).toFixed(3)} ms; ping ${median(ping).toFixed(3)} ms)`,
      `${ratio.toFixed(2)} of ping`,
      '>= 0.3',
      ratio >= 0.3,
    );
  } finally {
    await mc.close();
    await db.close();
  }
}

async function main() {
  const dataDir = KEEP ? path.resolve(KEEP) : mkdtempSync(path.join(tmpdir(), 'lectern-scale-'));
  const saved = path.join(dataDir, 'bench-school.json');
  const students = Math.max(1, Math.round(YEAR.students * SCALE));
  say(`bench:scale at scale ${SCALE}: ${students} students, ${Math.max(1, Math.round(YEAR.classes * SCALE))} classes (load ${load()})`);
  try {
    const t0 = performance.now();
    let school: Awaited<ReturnType<typeof loadSchool>>;
    if (KEEP && existsSync(saved)) {
      school = JSON.parse(readFileSync(saved, 'utf8'));
      say(`reusing the school loaded in ${dataDir}: ${school.documents.toLocaleString('en')} documents`);
    } else {
      mkdirSync(dataDir, { recursive: true });
      school = await loadSchool(dataDir, SCALE, (line) => say(`  ${line}`));
      if (KEEP) writeFileSync(saved, JSON.stringify(school));
      say(`loaded ${school.documents.toLocaleString('en')} documents in ${((performance.now() - t0) / 1000).toFixed(0)} s (load ${load()})`);
    }
    // The worker's heap limit is raised: today the embedded server holds every document in memory.
    const env = { SESSION_SECRET: randomBytes(32).toString('hex'), LECTERN_DB_MEMORY_MB: '16384', LOGIN_RATE_LIMIT: '10000' };
    const first = await restartTime(dataDir, env);
    say(`first start until /healthz: ${(first.ms / 1000).toFixed(1)} s`);
    say('timing pages (sequential, keep-alive)…');
    await timePages(first.lectern, school);
    const mem = memoryOf(first.lectern.child.pid!);
    report(`resident memory with data loaded (peak ${mem.peakMb.toFixed(0)} MiB)`, `${mem.rssMb.toFixed(0)} MiB`, '< 1536 MiB', mem.rssMb < 1536);
    await stopProcess(first.lectern.child, 'SIGTERM');
    say(`restarting (load ${load()})…`);
    const again = await restartTime(dataDir, env);
    report('restart until /healthz answers', `${(again.ms / 1000).toFixed(1)} s`, '< 10 s', again.ms < 10_000);
    await stopProcess(again.lectern.child, 'SIGTERM');
    await coldFindOne(dataDir, students);
  } finally {
    // A Lectern left running by a failure is stopped before its data directory goes.
    for (const child of started) await stopProcess(child, 'SIGKILL');
    if (!KEEP) rmSync(dataDir, { recursive: true, force: true });
  }
  say('');
  say(`results at scale ${SCALE} (${school(SCALE)}; load ${load()}):`);
  for (const r of results) say(`  ${r.name.padEnd(64)} ${r.value.padStart(14)}   target ${r.target.padEnd(10)} ${r.met ? 'met' : 'NOT MET'}`);
}

function school(scale: number): string {
  const s = Math.round(YEAR.students * scale);
  const docs = s * (YEAR.reviews + YEAR.answers) + Math.round(YEAR.classes * scale) * YEAR.quizzesPerClass * (1 + YEAR.attemptsPerQuiz);
  return `${s} students, about ${(docs / 1e6).toFixed(2)} million records`;
}

await main();
