import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemoUsers } from './demo-users.ts';
import { upsertSource, passageMap } from '../server/sources/service.ts';
import { SCO_HEADINGS } from '../server/sources/passages.ts';
import { validateBankFile } from '../server/banks/bank-file.ts';
import { loadBank } from '../server/banks/load-bank.ts';
import { fillEnrolmentNames } from '../server/classes/service.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface SeedOptions {
  demo: boolean;
  /** Called with a line of progress for a person to read. */
  progress: (line: string) => void;
  /** Where the bank files are; defaults to seed/banks. */
  banksDir?: string;
}

export interface SeedReport {
  /** Files refused whole, with each question's id and reason. */
  invalid: Array<{ file: string; errors: Array<{ where: string; reason: string }> }>;
  loaded: Array<{ file: string; created: number; updated: number; unchanged: number }>;
}

/** The shipped sources: the SCO policy brief. */
export const SHIPPED_SOURCES = [
  {
    id: 'sco-policy-brief',
    file: 'source/sco-policy-brief.txt',
    title: 'The Shanghai Cooperation Organisation and Australia (policy brief, 2008)',
    description: 'A 2008 policy brief on the Shanghai Cooperation Organisation and the policy Australia should take towards it.',
    headings: SCO_HEADINGS,
  },
];

/** Loads what Lectern ships with, idempotently: a re-run changes nothing. */
export async function seedDatabase(options: SeedOptions): Promise<SeedReport> {
  const report: SeedReport = { invalid: [], loaded: [] };
  const say = options.progress;
  for (const s of SHIPPED_SOURCES) {
    const raw = await readFile(path.join(here, s.file), 'utf8');
    const changed = await upsertSource({ id: s.id, title: s.title, description: s.description, raw, headings: s.headings });
    say(`source ${s.id}: ${changed ? 'stored' : 'unchanged'}`);
  }
  const banksDir = options.banksDir ?? path.join(here, 'banks');
  const files = (await readdir(banksDir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const json: unknown = JSON.parse(await readFile(path.join(banksDir, file), 'utf8'));
    const sourceId = (json as { sourceId?: unknown })?.sourceId;
    const passages = typeof sourceId === 'string' ? await passageMap(sourceId).catch(() => new Map()) : new Map();
    const result = validateBankFile(json, passages);
    if (!result.ok) {
      report.invalid.push({ file, errors: result.errors });
      say(`bank ${file}: REFUSED, nothing loaded (${result.errors.length} error${result.errors.length === 1 ? '' : 's'})`);
      for (const e of result.errors) say(`  ${e.where}: ${e.reason}`);
      continue;
    }
    say(`bank ${file}: ${result.bank.questions.length} questions valid`);
    const counts = await loadBank(result.bank, null, (done, total) => say(`  ${file}: written ${done}/${total}`));
    report.loaded.push({ file, created: counts.created, updated: counts.updated, unchanged: counts.unchanged });
    say(`bank ${file}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`);
  }
  const filled = await fillEnrolmentNames();
  if (filled) say(`class rosters: copied names onto ${filled} enrolments`);
  if (options.demo) {
    const made = await seedDemoUsers();
    say(made ? `demo accounts: ${made} created` : 'demo accounts: already present');
  }
  return report;
}
