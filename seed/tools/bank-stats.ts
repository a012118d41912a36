/**
 * Prints a question bank's make-up for its author: counts by type, topic, difficulty and
 * section, true/false balance, and which passages of the source are cited how often.
 * Usage: npx tsx seed/tools/bank-stats.ts [bank.json]   (default: the shipped SCO bank)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { questionDefinition, type QuestionDefinition } from '../../server/questions/definition.ts';
import { splitSource } from '../../server/sources/passages.ts';
import { SHIPPED_SOURCES, shippedHeadings } from '../seed-database.ts';

const bankPath = process.argv[2] ?? fileURLToPath(new URL('../banks/sco-policy-brief.json', import.meta.url));
const sourcePath = fileURLToPath(new URL('../source/sco-policy-brief.txt', import.meta.url));

const bank = JSON.parse(readFileSync(bankPath, 'utf8')) as { questions: unknown[] };
const { passages } = splitSource(readFileSync(sourcePath, 'utf8'), shippedHeadings(SHIPPED_SOURCES[0]!));
const byId = new Map(passages.map((p) => [p.id, p]));

const questions: QuestionDefinition[] = [];
for (const raw of bank.questions) {
  const parsed = questionDefinition.safeParse(raw);
  if (parsed.success) questions.push(parsed.data);
  else console.log(`INVALID ${(raw as { id?: string }).id ?? '?'}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
}

const tally = (keys: (q: QuestionDefinition) => string[]) => {
  const m = new Map<string, number>();
  for (const q of questions) for (const k of keys(q)) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
};

console.log(`questions: ${questions.length}`);
console.log(`type: ${tally((q) => [q.type])}`);
console.log(`topic: ${tally((q) => q.topics)}`);
console.log(`difficulty: ${tally((q) => [q.difficulty])}`);
console.log(`section: ${tally((q) => [byId.get(q.source.passageId)?.section ?? 'unknown'])}`);
console.log(`true/false answers: ${tally((q) => (q.type === 'truefalse' ? [String(q.answer)] : []))}`);

const cites = new Map<string, number>();
for (const q of questions) cites.set(q.source.passageId, (cites.get(q.source.passageId) ?? 0) + 1);
const body = passages.filter((p) => p.section !== 'endnotes');
const cited = body.filter((p) => cites.has(p.id)).length;
console.log(`body passages cited: ${cited}/${body.length} (${((cited / body.length) * 100).toFixed(1)}%)`);
console.log(`citations per passage: ${passages.map((p) => `${p.id}:${cites.get(p.id) ?? 0}`).join(' ')}`);
const badQuotes = questions.filter((q) => !byId.get(q.source.passageId)?.text.includes(q.source.quote));
if (badQuotes.length) console.log(`quotes not verbatim: ${badQuotes.map((q) => q.id).join(', ')}`);
