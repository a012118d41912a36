/**
 * No code names a topic, the shipped paper or its bank: what Lectern ships with is data under
 * seed/, so any document can become a course. This reads the names from the seed (every bank
 * file's id, source and topic slugs; every shipped source's id) and looks for each in server/ and
 * views/ as a whole word, case-insensitively ("members" is a topic; "memberships" is not it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHIPPED_SOURCES } from '../../seed/seed-database.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The names the seed gives: bank ids, their sources, their topic slugs, the shipped sources, and the paper's subject. */
function shippedNames(): string[] {
  const names = new Set<string>(['sco', 'shanghai']);
  const banksDir = path.join(root, 'seed/banks');
  for (const file of readdirSync(banksDir).filter((f) => f.endsWith('.json'))) {
    const bank = JSON.parse(readFileSync(path.join(banksDir, file), 'utf8')) as { id: string; sourceId: string; topics?: { slug: string }[] };
    names.add(bank.id);
    names.add(bank.sourceId);
    for (const t of bank.topics ?? []) names.add(t.slug);
  }
  for (const s of SHIPPED_SOURCES) names.add(s.id);
  return [...names];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('the seed names the shipped bank, its source and at least ten topics (so the check below checks something)', () => {
  const names = shippedNames();
  assert.ok(names.length >= 13, names.join(', '));
});

test('no file in server/ or views/ names a shipped topic, the shipped paper or its bank', () => {
  const names = shippedNames();
  const pattern = new RegExp(`(?<![a-z0-9-])(?:${names.map(escape).join('|')})(?![a-z0-9-])`, 'i');
  const hits: string[] = [];
  for (const dir of ['server', 'views']) {
    for (const file of filesUnder(path.join(root, dir))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const m = pattern.exec(line);
          if (m) hits.push(`${path.relative(root, file)}:${i + 1}: "${m[0]}" in ${line.trim().slice(0, 120)}`);
        });
    }
  }
  assert.deepEqual(hits, []);
});

test('the check finds a name where one is written (it is not vacuous)', () => {
  const names = shippedNames();
  const pattern = new RegExp(`(?<![a-z0-9-])(?:${names.map(escape).join('|')})(?![a-z0-9-])`, 'i');
  const topic = names.find((n) => n !== 'sco' && n !== 'shanghai' && !n.includes('policy'))!;
  assert.ok(pattern.test(`const x = '${topic}';`));
  assert.ok(pattern.test('See the SCO paper.'));
  assert.ok(!pattern.test('membershipsOf(userId)'), 'a longer word is not a topic');
});
