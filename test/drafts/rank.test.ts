import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qualityReport } from '../../server/banks/quality/index.ts';
import { candidateDrafts } from '../../server/drafts/generate.ts';
import { rankDrafts } from '../../server/drafts/rank.ts';
import { draftDocument } from '../../server/drafts/draft-document.ts';
import { shippedPassages } from './sco-passages.ts';

const { passages } = shippedPassages()[0]!;
const ctx = { passages: new Map(passages.map((p) => [p.id, p])) };
const candidates = candidateDrafts(passages);
const ranked = rankDrafts(candidates, passages);

test('the queue has no draft the quality report marks with an error, alone or as a bank', () => {
  assert.ok(ranked.length >= 40, `${ranked.length} drafts`);
  const report = qualityReport(
    ranked.map((d) => d.question),
    ctx,
  );
  assert.deepEqual(
    report.questionFlags.filter((f) => f.level === 'error'),
    [],
  );
  assert.deepEqual(
    report.bankFlags.filter((f) => f.level === 'error'),
    [],
  );
  assert.deepEqual(
    report.questionFlags.filter((f) => f.code === 'near-duplicate'),
    [],
  );
});

test('drafts are spread over the sections, not piled on the first, and mix the kinds', () => {
  const bySection = new Map<string, number>();
  for (const d of ranked) bySection.set(d.sectionTitle, (bySection.get(d.sectionTitle) ?? 0) + 1);
  const sections = new Set(passages.filter((p) => p.sectionTitle !== 'Endnotes').map((p) => p.sectionTitle));
  assert.equal(bySection.size, sections.size, 'every section has drafts');
  assert.ok(Math.max(...bySection.values()) <= ranked.length * 0.25, JSON.stringify([...bySection]));
  const kinds = new Set(ranked.map((d) => d.kind));
  for (const k of ['cloze', 'short', 'numeric', 'mcq', 'truefalse']) assert.ok(kinds.has(k as never), `has ${k}`);
});

test('one draft per fact and one statement of each true/false pair; true and false balanced', () => {
  // Matching and ordering drafts quote one of the several sentences they draw on: they share it.
  const quotes = ranked.filter((d) => d.kind !== 'matching' && d.kind !== 'ordering').map((d) => d.question.source.quote);
  assert.equal(new Set(quotes).size, quotes.length);
  const pairs = ranked.filter((d) => d.pairKey).map((d) => d.pairKey);
  assert.equal(new Set(pairs).size, pairs.length);
  const tf = ranked.flatMap((d) => (d.question.type === 'truefalse' ? [d.question.answer] : []));
  const trues = tf.filter(Boolean).length;
  assert.ok(Math.abs(trues - (tf.length - trues)) <= Math.max(2, tf.length * 0.3), `${trues} true of ${tf.length}`);
});

test('rejected drafts do not come back, and a fact an existing question asks is not drafted again', () => {
  const rejected = new Set(ranked.slice(0, 5).map((d) => d.key));
  const again = rankDrafts(candidates, passages, { rejected });
  for (const d of again) assert.ok(!rejected.has(d.key));
  const existing = ranked.slice(5, 10).map((d) => ({ ...d.question, id: `bank-${d.question.id}` }));
  const withBank = rankDrafts(candidates, passages, { existing });
  const asked = new Set(ranked.slice(5, 10).map((d) => d.key));
  assert.ok(withBank.length > 0);
  for (const d of withBank) assert.ok(!asked.has(d.key), `${d.question.prompt} is already in the bank`);
});

test('drafting chosen sections keeps to them, drawing distractors from the whole document', () => {
  const some = draftDocument(passages, { sections: ['Energy cooperation'] });
  assert.ok(some.length > 0);
  assert.ok(some.every((d) => d.sectionTitle === 'Energy cooperation'));
});

test('the same document gives the same drafts (keys are stable across runs)', () => {
  assert.deepEqual(
    rankDrafts(candidateDrafts(passages), passages).map((d) => d.key),
    ranked.map((d) => d.key),
  );
});
