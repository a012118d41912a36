import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { post } from '../quizzes/helpers.ts';
import { startLectern, stopProcess, type LecternProcess } from '../helpers/lectern-process.ts';

/**
 * In a container Lectern is PID 1 on every start. A pid-file lock left by a SIGKILL then names
 * a live process (the new Lectern itself), so the old lock never let it start again. Run it as
 * PID 1 of its own PID namespace, kill it, and start it again on the same data.
 */
// --kill-child: if the test kills unshare, the kernel kills Lectern too, so nothing outlives the test.
const UNSHARE = ['unshare', '--pid', '--fork', '--kill-child=SIGKILL'];
const probe = spawnSync(UNSHARE[0]!, [...UNSHARE.slice(1), 'true']);
const missing = (probe.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

const env = { SESSION_SECRET: randomBytes(32).toString('hex'), LOGIN_RATE_LIMIT: '1000' };

/** The host pid of the node process that unshare forked (PID 1 inside the namespace). */
function namespacePid1(lectern: LecternProcess): number {
  const pid = lectern.child.pid!;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  assert.equal(children.length, 1, 'unshare runs one child');
  const status = readFileSync(`/proc/${children[0]}/status`, 'utf8');
  assert.match(status, /^NSpid:\s+\d+\s+1$/m, 'node is PID 1 in its namespace');
  return children[0]!;
}

test(
  'Lectern running as PID 1 starts again on the same data after a SIGKILL',
  { skip: missing ? 'unshare is not installed (util-linux)' : false, timeout: 240_000 },
  async () => {
    assert.equal(probe.status, 0, `unshare --pid --fork must work here: ${probe.stderr?.toString()}`);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-pid1-'));
    let lectern: LecternProcess | undefined;
    try {
      lectern = await startLectern(dataDir, env, [], UNSHARE);
      const node = namespacePid1(lectern);
      const agent = request.agent(lectern.url);
      const registered = await post(agent, '/register', '/register', { name: 'Kept Person', email: 'kept@example.com', password: 'survives a kill' });
      assert.equal(registered.status, 302);

      process.kill(node, 'SIGKILL');
      await stopProcess(lectern.child, 'SIGKILL');

      lectern = await startLectern(dataDir, env, [], UNSHARE);
      namespacePid1(lectern);
      const again = request.agent(lectern.url);
      const login = await post(again, '/login', '/login', { email: 'kept@example.com', password: 'survives a kill' });
      assert.equal(login.status, 302, 'the account made before the kill is still there');
    } finally {
      if (lectern) await stopProcess(lectern.child, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
