import { readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemoUsers } from './demo-users.ts';
import { addSource, addVersion, migrateSources, passageMap, sourceExists, type SourceLimits } from '../server/sources/index.ts';
import type { ExtractInput } from '../server/sources/extract/index.ts';
import type { HeadingMap, Passage } from '../server/sources/passages.ts';
import { validateBankFile } from '../server/banks/bank-file.ts';
import { loadBank } from '../server/banks/load-bank.ts';
import { giveBanksTopics } from '../server/banks/topics-service.ts';
import { giveBanksSourceLists } from '../server/banks/migrations.ts';
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

/** The shipped sources: the SCO policy brief (its headings, with the slugs its passage ids use, are data beside it). */
export const SHIPPED_SOURCES = [
  {
    id: 'sco-policy-brief',
    file: 'source/sco-policy-brief.txt',
    headingsFile: 'source/sco-policy-brief.headings.json',
    title: 'The Shanghai Cooperation Organisation and Australia (policy brief, 2008)',
    description: 'A 2008 policy brief on the Shanghai Cooperation Organisation and the policy Australia should take towards it.',
  },
];

/** The headings of a shipped source, read from its file. */
export function shippedHeadings(source: { headingsFile: string }): HeadingMap {
  return JSON.parse(readFileSync(path.join(here, source.headingsFile), 'utf8')) as HeadingMap;
}

// The shipped files open with a comment header down to a line of dashes; the document is below it.
const HEADER_END = /^# -{10,}\s*$/m;

/** A shipped source as an upload of its text would hand it over, its section slugs by title beside it. */
export async function shippedDocument(s: (typeof SHIPPED_SOURCES)[number]): Promise<ExtractInput> {
  const raw = await readFile(path.join(here, s.file), 'utf8');
  const end = HEADER_END.exec(raw);
  const body = end ? raw.slice(end.index + end[0].length) : raw;
  return { format: 'text', bytes: new TextEncoder().encode(body), headingSlugs: shippedHeadings(s) };
}

// Generous: the shipped documents are Lectern's own.
const SHIPPED_LIMITS: SourceLimits = { maxBytes: 50 * 1024 * 1024, maxPages: 5000, maxPassages: 100_000 };

/** Loads what Lectern ships with, idempotently: a re-run changes nothing. */
export async function seedDatabase(options: SeedOptions): Promise<SeedReport> {
  const report: SeedReport = { invalid: [], loaded: [] };
  const say = options.progress;
  // Start-up migration: sources stored before owners and versions existed.
  const migrated = await migrateSources();
  if (migrated) say(`sources: gave ${migrated} source${migrated === 1 ? '' : 's'} an owner and a version`);
  for (const s of SHIPPED_SOURCES) {
    // The same path as an instructor's upload: a first load adds it, later ones are new versions.
    const doc = await shippedDocument(s);
    if (!(await sourceExists(s.id))) {
      await addSource(null, { ...doc, id: s.id, title: s.title, description: s.description }, SHIPPED_LIMITS);
      say(`source ${s.id}: stored`);
    } else {
      const { changed, changes } = await addVersion(null, s.id, doc, SHIPPED_LIMITS);
      say(`source ${s.id}: ${changed ? `new version (${changes.length} passages changed or removed)` : 'unchanged'}`);
    }
  }
  const banksDir = options.banksDir ?? path.join(here, 'banks');
  const files = (await readdir(banksDir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const json: unknown = JSON.parse(await readFile(path.join(banksDir, file), 'utf8'));
    const head = json as { sourceId?: unknown; sourceIds?: unknown };
    const first = typeof head?.sourceId === 'string' ? head.sourceId : '';
    const more = Array.isArray(head?.sourceIds) ? head.sourceIds.filter((s): s is string => typeof s === 'string') : [];
    const maps = new Map<string, Map<string, Passage>>();
    for (const id of new Set([first, ...more].filter(Boolean))) maps.set(id, await passageMap(id).catch(() => new Map<string, Passage>()));
    const result = validateBankFile(json, (sourceId) => maps.get(sourceId ?? first));
    if (!result.ok) {
      report.invalid.push({ file, errors: result.errors });
      say(`bank ${file}: REFUSED, nothing loaded (${result.errors.length} error${result.errors.length === 1 ? '' : 's'})`);
      for (const e of result.errors) say(`  ${e.where}: ${e.reason}`);
      continue;
    }
    say(`bank ${file}: ${result.bank.questions.length} questions valid`);
    const counts = await loadBank(result.bank, null, (done, total) => say(`  ${file}: written ${done}/${total}`));
    report.loaded.push({ file, created: counts.created, updated: counts.updated, unchanged: counts.unchanged });
    say(
      `bank ${file}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged${counts.retired ? `, ${counts.retired} retired (no longer in the file)` : ''}`,
    );
  }
  // Start-up migration: banks stored before topics were data get their own topic lists.
  const topicked = await giveBanksTopics();
  if (topicked) say(`topics: gave ${topicked} bank${topicked === 1 ? '' : 's'} their topic list`);
  const sourced = await giveBanksSourceLists();
  if (sourced) say(`sources: gave ${sourced} bank${sourced === 1 ? '' : 's'} their list of sources`);
  const filled = await fillEnrolmentNames();
  if (filled) say(`class rosters: copied names onto ${filled} enrolments`);
  if (options.demo) {
    const made = await seedDemoUsers();
    say(made ? `demo accounts: ${made} created` : 'demo accounts: already present');
  }
  return report;
}
