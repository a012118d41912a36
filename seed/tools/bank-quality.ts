/**
 * Prints the item-quality report of a bank file: its figures, then every flag (errors first).
 * Exits 1 when there is any error-level flag, so it can gate a script.
 * Usage: npx tsx seed/tools/bank-quality.ts [bank.json] [--errors]   (default: the shipped SCO bank)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { questionDefinition, type QuestionDefinition } from '../../server/questions/definition.ts';
import { splitSource } from '../../server/sources/passages.ts';
import { SHIPPED_SOURCES, shippedHeadings } from '../seed-database.ts';
import { qualityReport } from '../../server/banks/quality/index.ts';

const args = process.argv.slice(2);
const errorsOnly = args.includes('--errors');
const bankPath = args.find((a) => !a.startsWith('--')) ?? fileURLToPath(new URL('../banks/sco-policy-brief.json', import.meta.url));
const sourcePath = fileURLToPath(new URL('../source/sco-policy-brief.txt', import.meta.url));

const bank = JSON.parse(readFileSync(bankPath, 'utf8')) as { questions: unknown[] };
const { passages } = splitSource(readFileSync(sourcePath, 'utf8'), shippedHeadings(SHIPPED_SOURCES[0]!));
const questions: QuestionDefinition[] = bank.questions.flatMap((raw) => {
  const parsed = questionDefinition.safeParse(raw);
  if (!parsed.success)
    console.log(`INVALID ${(raw as { id?: string }).id ?? '?'}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return parsed.success ? [parsed.data] : [];
});

const report = qualityReport(questions, { passages: new Map(passages.map((p) => [p.id, p])) });
const f = report.figures;
const list = (rows: { key: string; count: number }[]) => rows.map((r) => `${r.key} ${r.count}`).join(', ');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`questions: ${f.questions}`);
console.log(`type: ${list(f.byType)}`);
console.log(`topic: ${list(f.byTopic)}`);
console.log(`difficulty: ${list(f.byDifficulty)}`);
console.log(`level: ${list(f.byLevel)} (understand or apply: ${pct(f.higherOrderShare)})`);
console.log(
  `body passages cited: ${f.passagesCited.cited}/${f.passagesCited.of}${f.passagesCited.uncited.length ? ` (uncited: ${f.passagesCited.uncited.join(', ')})` : ''}`,
);
console.log(
  `key is the longest option: ${f.longestKey.longest}/${f.longestKey.of} single-answer MCQs (${pct(f.longestKey.share)}; chance ${f.longestKey.chance.toFixed(1)})`,
);
console.log(
  `true/false copying ≥10 words: true ${f.trueFalse.trueCopied}/${f.trueFalse.trueCount}, false ${f.trueFalse.falseCopied}/${f.trueFalse.falseCount}; ` +
    `mean run true ${f.trueFalse.trueMeanRun.toFixed(1)}, false ${f.trueFalse.falseMeanRun.toFixed(1)} words`,
);
console.log(`flags: ${report.errors} errors, ${report.warnings} warnings`);
const byCode = new Map<string, { error: number; warning: number }>();
for (const fl of [...report.bankFlags, ...report.questionFlags]) {
  const c = byCode.get(fl.code) ?? { error: 0, warning: 0 };
  c[fl.level] += 1;
  byCode.set(fl.code, c);
}
console.log(`by detector: ${[...byCode].map(([k, c]) => `${k} ${c.error ? `${c.error}E` : ''}${c.warning ? `${c.warning}W` : ''}`).join(', ')}`);
for (const fl of [...report.bankFlags, ...report.questionFlags]) {
  if (errorsOnly && fl.level !== 'error') continue;
  console.log(
    `${fl.level.toUpperCase()} ${fl.questionId ?? 'bank'} [${fl.code}] ${fl.reason}${fl.related && !fl.questionId ? ` (${fl.related.length} questions)` : ''}`,
  );
}
if (report.errors) process.exitCode = 1;
