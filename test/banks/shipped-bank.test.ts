/**
 * The shipped question bank on the SCO policy brief: every question is valid, cites a real
 * passage with a verbatim quote, and the bank covers the whole paper in every type and topic.
 * Run alone with: node --import tsx --test test/banks/shipped-bank.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { questionDefinition, HAND_MARKED_TYPES, QUESTION_TYPES, type QuestionDefinition } from '../../server/questions/definition.ts';
import { splitSource, type Passage } from '../../server/sources/passages.ts';
import { SHIPPED_SOURCES, shippedHeadings } from '../../seed/seed-database.ts';
import { qualityReport } from '../../server/banks/quality/index.ts';
import { MAX_LONGEST_KEY_SHARE } from '../../server/banks/quality/longest-key.ts';

const BANK_FILE = fileURLToPath(new URL('../../seed/banks/sco-policy-brief.json', import.meta.url));
const SOURCE_FILE = fileURLToPath(new URL('../../seed/source/sco-policy-brief.txt', import.meta.url));

const MIN_QUESTIONS = 180;
const MIN_PER_TYPE = 10;
const MIN_PER_TOPIC = 10;
const MIN_BODY_COVERAGE = 0.9;
const MIN_HIGHER_ORDER = 0.4;

interface RawBank {
  id?: unknown;
  sourceId?: unknown;
  topics?: { slug: string; name: string }[];
  questions?: unknown;
}

const bank = JSON.parse(readFileSync(BANK_FILE, 'utf8')) as RawBank;
// The bank's topics are data in its file: the test reads them from there.
const TOPICS = (bank.topics ?? []).map((t) => t.slug);
const { sections, passages } = splitSource(readFileSync(SOURCE_FILE, 'utf8'), shippedHeadings(SHIPPED_SOURCES[0]!));
const passageById = new Map<string, Passage>(passages.map((p) => [p.id, p]));
const bodySections = sections.map((s) => s.slug).filter((slug) => slug !== 'endnotes');
const bodyPassages = passages.filter((p) => p.section !== 'endnotes');

const rawQuestions: unknown[] = Array.isArray(bank.questions) ? bank.questions : [];

/** Every question that passes the contract; invalid ones are reported by their own test. */
const questions: QuestionDefinition[] = rawQuestions.flatMap((raw) => {
  const parsed = questionDefinition.safeParse(raw);
  return parsed.success ? [parsed.data] : [];
});

const countBy = (keys: (q: QuestionDefinition) => string[]) => {
  const counts = new Map<string, number>();
  for (const q of questions) for (const k of keys(q)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
};

test('the bank file names itself and its source', () => {
  assert.equal(bank.id, 'sco-policy-brief');
  assert.equal(bank.sourceId, 'sco-policy-brief');
  assert.ok(Array.isArray(bank.questions), 'questions must be an array');
});

test('every question is valid by the question contract', () => {
  const problems: string[] = [];
  rawQuestions.forEach((raw, index) => {
    const parsed = questionDefinition.safeParse(raw);
    if (parsed.success) return;
    const rawId = (raw as { id?: unknown } | null)?.id;
    const where = typeof rawId === 'string' ? rawId : `#${index + 1}`;
    for (const issue of parsed.error.issues) problems.push(`${where}: ${issue.path.join('.') || 'question'}: ${issue.message}`);
  });
  assert.deepEqual(problems, [], `invalid questions:\n${problems.join('\n')}`);
});

test('question ids are unique', () => {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const q of questions) {
    if (seen.has(q.id)) duplicates.add(q.id);
    seen.add(q.id);
  }
  assert.deepEqual([...duplicates], [], `duplicated ids: ${[...duplicates].join(', ')}`);
});

test('every question cites a known passage and quotes it verbatim', () => {
  const problems: string[] = [];
  for (const q of questions) {
    const passage = passageById.get(q.source.passageId);
    if (!passage) problems.push(`${q.id}: unknown passage "${q.source.passageId}"`);
    else if (!passage.text.includes(q.source.quote)) problems.push(`${q.id}: quote not found verbatim in ${passage.id}: "${q.source.quote}"`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test(`the bank holds at least ${MIN_QUESTIONS} questions`, () => {
  assert.ok(questions.length >= MIN_QUESTIONS, `only ${questions.length} valid questions`);
});

// Essays are marked by hand: the shipped bank serves self-study (practice, flashcards), which leaves them out.
// Front/back cards are what Anki and Quizlet decks bring; the shipped bank is written as questions.
const SELF_MARKED = QUESTION_TYPES.filter((ty) => !HAND_MARKED_TYPES.includes(ty) && ty !== 'card');
test(`every self-marked question type is used at least ${MIN_PER_TYPE} times`, (t) => {
  const byType = countBy((q) => [q.type]);
  t.diagnostic(`types: ${SELF_MARKED.map((ty) => `${ty} ${byType.get(ty) ?? 0}`).join(', ')}`);
  const short = SELF_MARKED.filter((ty) => (byType.get(ty) ?? 0) < MIN_PER_TYPE);
  assert.deepEqual(short, [], `types under ${MIN_PER_TYPE}: ${short.map((ty) => `${ty} (${byType.get(ty) ?? 0})`).join(', ')}`);
});

test('the bank names its topics, and every question is tagged only with them', () => {
  assert.ok(TOPICS.length >= 5, `the bank file lists ${TOPICS.length} topics`);
  assert.ok(
    (bank.topics ?? []).every((t) => t.name.trim().length > 0),
    'every topic has a name',
  );
  const unknown = questions.flatMap((q) => q.topics.filter((tp) => !TOPICS.includes(tp)).map((tp) => `${q.id}: ${tp}`));
  assert.deepEqual(unknown, []);
});

test(`every topic is used at least ${MIN_PER_TOPIC} times`, (t) => {
  const byTopic = countBy((q) => q.topics);
  t.diagnostic(`topics: ${TOPICS.map((tp) => `${tp} ${byTopic.get(tp) ?? 0}`).join(', ')}`);
  const short = TOPICS.filter((tp) => (byTopic.get(tp) ?? 0) < MIN_PER_TOPIC);
  assert.deepEqual(short, [], `topics under ${MIN_PER_TOPIC}: ${short.map((tp) => `${tp} (${byTopic.get(tp) ?? 0})`).join(', ')}`);
});

test('every body section is covered', (t) => {
  const bySection = countBy((q) => [passageById.get(q.source.passageId)?.section ?? 'unknown']);
  t.diagnostic(`questions per section: ${sections.map((s) => `${s.slug} ${bySection.get(s.slug) ?? 0}`).join(', ')}`);
  const uncovered = bodySections.filter((slug) => !bySection.get(slug));
  assert.deepEqual(uncovered, [], `sections with no question: ${uncovered.join(', ')}`);
});

test(`at least ${MIN_BODY_COVERAGE * 100}% of the body's passages are cited`, (t) => {
  const citations = countBy((q) => [q.source.passageId]);
  const cited = bodyPassages.filter((p) => citations.has(p.id));
  const twice = bodyPassages.filter((p) => (citations.get(p.id) ?? 0) >= 2);
  const coverage = cited.length / bodyPassages.length;
  const uncited = bodyPassages.filter((p) => !citations.has(p.id)).map((p) => p.id);
  t.diagnostic(
    `body passages cited: ${cited.length}/${bodyPassages.length} (${(coverage * 100).toFixed(1)}%); ` +
      `cited by 2+ questions: ${twice.length}/${bodyPassages.length}` +
      (uncited.length ? `; uncited: ${uncited.join(', ')}` : ''),
  );
  const endnotes = passages.filter((p) => p.section === 'endnotes');
  t.diagnostic(`endnotes cited: ${endnotes.filter((p) => citations.has(p.id)).length}/${endnotes.length}`);
  assert.ok(coverage >= MIN_BODY_COVERAGE, `coverage ${(coverage * 100).toFixed(1)}% is under ${MIN_BODY_COVERAGE * 100}%`);
});

// The item-quality report gates the shipped bank: no error-level cue, and the figures issue 15 set.
const report = qualityReport(questions, { passages: passageById });

test('the item-quality report finds no error in the shipped bank', (t) => {
  t.diagnostic(`flags: ${report.errors} errors, ${report.warnings} warnings`);
  const errors = [...report.bankFlags, ...report.questionFlags].filter((f) => f.level === 'error');
  assert.deepEqual(
    errors.map((f) => `${f.questionId ?? 'bank'} [${f.code}] ${f.reason}`),
    [],
  );
});

test(`the key is the longest option in at most ${MAX_LONGEST_KEY_SHARE * 100}% of single-answer questions`, (t) => {
  const { longest, of, share } = report.figures.longestKey;
  t.diagnostic(`key is the longest option: ${longest}/${of}`);
  assert.ok(of > 0 && share <= MAX_LONGEST_KEY_SHARE, `${longest}/${of} single-answer questions have the longest option as key`);
});

test(`every question has a cognitive level and at least ${MIN_HIGHER_ORDER * 100}% test understanding or application`, (t) => {
  const untagged = questions.filter((q) => !q.level).map((q) => q.id);
  assert.deepEqual(untagged, [], `questions without a level: ${untagged.join(', ')}`);
  t.diagnostic(`levels: ${report.figures.byLevel.map((r) => `${r.key} ${r.count}`).join(', ')}`);
  assert.ok(report.figures.higherOrderShare >= MIN_HIGHER_ORDER, `only ${(report.figures.higherOrderShare * 100).toFixed(1)}%`);
});

test('true and false statements copy the source about as often', () => {
  const tf = report.figures.trueFalse;
  const trueShare = tf.trueCopied / tf.trueCount;
  const falseShare = tf.falseCopied / tf.falseCount;
  assert.ok(Math.abs(trueShare - falseShare) <= 0.15, `true ${tf.trueCopied}/${tf.trueCount} vs false ${tf.falseCopied}/${tf.falseCount} copy 10+ words`);
});
