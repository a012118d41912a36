import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { START_NODE_FLAGS } from '../helpers/lectern-process.ts';

/** package.json's start script, as a command to spawn with this Node. */
function startCommand(): string[] {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const [program, ...args] = scripts.start!.split(/\s+/);
  assert.equal(program, 'node', 'npm start runs node itself, so its flags are set');
  return args;
}

test('the helper that starts Lectern for tests and benchmarks passes the flags npm start does', () => {
  const args = startCommand();
  for (const flag of START_NODE_FLAGS) assert.ok(args.includes(flag), `${flag} in npm start`);
  assert.deepEqual(
    args.filter((a) => a.startsWith('--max-')),
    START_NODE_FLAGS,
  );
});

// `npm start` as a newcomer runs it: nothing installed but Node, data in a fresh directory.
test('start-up serves the home page and /healthz on the embedded default, then stops cleanly on SIGTERM', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-start-'));
  const child = spawn(process.execPath, startCommand(), {
    env: { ...process.env, MONGODB_URI: '', PORT: '0', LECTERN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start-up line:\n${out}`)), 60_000);
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /Lectern is running at (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.stderr.on('data', (b: Buffer) => (out += b.toString()));
      child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
    });
    assert.match(out, /demo student: \S+@\S+ \/ \S+/);
    const home = await fetch(url);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /Lectern/);
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
