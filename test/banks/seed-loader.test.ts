import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { Bank, Question } from '../../server/banks/model.ts';

let t: TestApp;
let dir: string;
before(async () => {
  t = await startTestApp();
  dir = mkdtempSync(path.join(tmpdir(), 'lectern-banks-'));
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

const good = (id: string, prompt = 'According to the paper, how many founding members did the Shanghai Five have?') => ({
  id,
  type: 'numeric',
  prompt,
  answer: 5,
  tolerance: 0,
  topics: ['members'],
  difficulty: 'easy',
  source: { passageId: 'background-1', quote: 'after the five participants' },
  explanation: 'The process took its name from its five participants.',
});

test('a bank file with one bad question is refused whole, naming the question and the reason', async () => {
  writeFileSync(
    path.join(dir, 'bad.json'),
    JSON.stringify({
      id: 'bad-bank', title: 'Bad', sourceId: 'sco-policy-brief',
      questions: [good('ok-1'), { ...good('bad-quote'), source: { passageId: 'background-1', quote: 'words the paper never says' } }, { ...good('bad-type'), type: 'essay' }],
    }),
  );
  const lines: string[] = [];
  const report = await seedDatabase({ demo: false, banksDir: dir, progress: (l) => lines.push(l) });
  assert.equal(report.invalid.length, 1);
  const reasons = report.invalid[0]!.errors.map((e) => `${e.where}: ${e.reason}`).join('\n');
  assert.match(reasons, /bad-quote: the quote is not found verbatim/);
  assert.match(reasons, /bad-type: /);
  assert.ok(lines.some((l) => l.includes('REFUSED')));
  assert.equal(await Bank.countDocuments({ slug: 'bad-bank' }), 0);
  assert.equal(await Question.countDocuments(), 0, 'nothing from the file was written');
  rmSync(path.join(dir, 'bad.json'));
});

test('a valid file loads with progress; a re-run changes nothing; an edit bumps the version', async () => {
  const file = path.join(dir, 'good.json');
  writeFileSync(file, JSON.stringify({ id: 'good-bank', title: 'Good', sourceId: 'sco-policy-brief', questions: [good('g-1'), good('g-2')] }));
  const lines: string[] = [];
  let report = await seedDatabase({ demo: false, banksDir: dir, progress: (l) => lines.push(l) });
  assert.deepEqual(report.loaded, [{ file: 'good.json', created: 2, updated: 0, unchanged: 0 }]);
  assert.ok(lines.some((l) => /written 2\/2/.test(l)));
  report = await seedDatabase({ demo: false, banksDir: dir, progress: () => undefined });
  assert.deepEqual(report.loaded, [{ file: 'good.json', created: 0, updated: 0, unchanged: 2 }]);
  writeFileSync(file, JSON.stringify({ id: 'good-bank', title: 'Good', sourceId: 'sco-policy-brief', questions: [good('g-1', 'How many states took part in the Shanghai Five process?'), good('g-2')] }));
  report = await seedDatabase({ demo: false, banksDir: dir, progress: () => undefined });
  assert.deepEqual(report.loaded, [{ file: 'good.json', created: 0, updated: 1, unchanged: 1 }]);
  const q = await Question.findOne({ key: 'g-1' }).lean();
  assert.equal(q!.version, 2);
  assert.equal((await Question.findOne({ key: 'g-2' }).lean())!.version, 1);
});
