import { spawn, type ChildProcess } from 'node:child_process';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../../server/embedded-mongo/index.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { seedDatabase } from '../../seed/seed-database.ts';

export interface LecternProcess {
  child: ChildProcess;
  url: string;
}

/**
 * Node's flags in `npm start`: a 32 MiB young generation, because a page like the gradebook
 * allocates a few megabytes per request and the default makes V8 collect several times per
 * request (8% faster pages in npm run bench:progress). test/app/start.test.ts keeps this in
 * step with package.json.
 */
export const START_NODE_FLAGS = ['--max-semi-space-size=32'];

/**
 * Starts Lectern as `npm start` does (server/main.ts, embedded database in `dataDir`) in a child
 * process; `wrapper` is a command line that runs node (e.g. `unshare --pid --fork`).
 */
export async function startLectern(
  dataDir: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  wrapper: string[] = [],
): Promise<LecternProcess> {
  const command = [...wrapper, process.execPath, ...START_NODE_FLAGS, ...nodeArgs, '--import', 'tsx', 'server/main.ts'];
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, MONGODB_URI: '', PORT: '0', LECTERN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up line:\n${out}`)), 60_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Lectern is running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out}`));
    });
  });
  return { child, url };
}

/** Kills a process with SIGKILL (or another signal) and waits for it to be gone. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Seeds a data directory as start-up does; returns the shipped bank's id and its first `count` multiple-choice questions. */
export async function seedDataDir(dataDir: string, count = 10): Promise<{ bankId: string; mcqs: Array<{ id: string; choices: Array<{ id: string }> }> }> {
  const db = await startEmbeddedMongo({ dataDir });
  await mongoose.connect(db.uri, { dbName: 'lectern' });
  try {
    await seedDatabase({ demo: true, progress: () => undefined });
    const bank = await Bank.findOne({ slug: 'sco-policy-brief' }).lean();
    const docs = await Question.find({ bankId: bank!._id, type: 'mcq', retired: false }).sort({ key: 1 }).limit(count).lean();
    return { bankId: String(bank!._id), mcqs: docs.map((d) => ({ id: String(d._id), choices: (d.definition as { choices: Array<{ id: string }> }).choices })) };
  } finally {
    await mongoose.disconnect();
    await db.close();
  }
}
