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

/** The topics the test files name (a bank file carries its topics). */
const TOPICS = [{ slug: 'members', name: 'Members' }];

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
      id: 'bad-bank',
      title: 'Bad',
      sourceId: 'sco-policy-brief',
      questions: [
        good('ok-1'),
        { ...good('bad-quote'), source: { passageId: 'background-1', quote: 'words the paper never says' } },
        { ...good('bad-type'), type: 'hotspot' },
        { ...good('bad-topic'), topics: ['weather'] },
      ],
    }),
  );
  const lines: string[] = [];
  const report = await seedDatabase({ demo: false, banksDir: dir, progress: (l) => lines.push(l) });
  assert.equal(report.invalid.length, 1);
  const reasons = report.invalid[0]!.errors.map((e) => `${e.where}: ${e.reason}`).join('\n');
  assert.match(reasons, /bad-quote: the quote is not found verbatim/);
  assert.match(reasons, /bad-type: /);
  assert.match(reasons, /bad-topic: topics: not a topic of this bank: "weather"/);
  assert.ok(lines.some((l) => l.includes('REFUSED')));
  assert.equal(await Bank.countDocuments({ slug: 'bad-bank' }), 0);
  assert.equal(await Question.countDocuments(), 0, 'nothing from the file was written');
  rmSync(path.join(dir, 'bad.json'));
});

test('a valid file loads with progress; a re-run changes nothing; an edit bumps the version', async () => {
  const file = path.join(dir, 'good.json');
  writeFileSync(file, JSON.stringify({ id: 'good-bank', title: 'Good', sourceId: 'sco-policy-brief', topics: TOPICS, questions: [good('g-1'), good('g-2')] }));
  const lines: string[] = [];
  let report = await seedDatabase({ demo: false, banksDir: dir, progress: (l) => lines.push(l) });
  assert.deepEqual(report.loaded, [{ file: 'good.json', created: 2, updated: 0, unchanged: 0 }]);
  assert.ok(lines.some((l) => /written 2\/2/.test(l)));
  report = await seedDatabase({ demo: false, banksDir: dir, progress: () => undefined });
  assert.deepEqual(report.loaded, [{ file: 'good.json', created: 0, updated: 0, unchanged: 2 }]);
  writeFileSync(
    file,
    JSON.stringify({
      id: 'good-bank',
      title: 'Good',
      sourceId: 'sco-policy-brief',
      topics: TOPICS,
      questions: [good('g-1', 'How many states took part in the Shanghai Five process?'), good('g-2')],
    }),
  );
  report = await seedDatabase({ demo: false, banksDir: dir, progress: () => undefined });
  assert.deepEqual(report.loaded, [{ file: 'good.json', created: 0, updated: 1, unchanged: 1 }]);
  const q = await Question.findOne({ key: 'g-1' }).lean();
  assert.equal(q!.version, 2);
  assert.equal((await Question.findOne({ key: 'g-2' }).lean())!.version, 1);
});

test('a question dropped from the file is retired, not deleted; put back, it is live again', async () => {
  const file = path.join(dir, 'retire.json');
  const write = (ids: string[]) =>
    writeFileSync(
      file,
      JSON.stringify({ id: 'retire-bank', title: 'Retire', sourceId: 'sco-policy-brief', topics: TOPICS, questions: ids.map((id) => good(id)) }),
    );
  write(['r-1', 'r-2']);
  await seedDatabase({ demo: false, banksDir: dir, progress: () => undefined });
  write(['r-1']);
  const lines: string[] = [];
  await seedDatabase({ demo: false, banksDir: dir, progress: (l) => lines.push(l) });
  assert.ok(
    lines.some((l) => /retire\.json: .*1 retired/.test(l)),
    lines.join('\n'),
  );
  assert.equal((await Question.findOne({ key: 'r-2' }).lean())!.retired, true);
  assert.equal((await Question.findOne({ key: 'r-1' }).lean())!.retired, false);
  write(['r-1', 'r-2']);
  await seedDatabase({ demo: false, banksDir: dir, progress: () => undefined });
  assert.equal((await Question.findOne({ key: 'r-2' }).lean())!.retired, false);
  rmSync(file);
});
