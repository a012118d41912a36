import { findQuestions, getEditableBank, type BankSummary } from './service.ts';
import { getSource } from '../sources/service.ts';
import { flagsOf, qualityReport, type QualityFlag, type QualityReport } from './quality/index.ts';
import type { QuestionDefinition } from '../questions/definition.ts';
import type { Caller } from '../accounts/roles.ts';

/** A question as the report page links it: its stored id (for the edit link), key and prompt. */
export interface ReportQuestion {
  id: string;
  key: string;
  prompt: string;
}

/** The quality report of a bank, for the page that lists it: bank figures and each flag with its question. */
export interface BankQualityPage {
  bank: BankSummary;
  report: QualityReport;
  /** Questions by key (flags name questions by key). */
  questions: Record<string, ReportQuestion>;
}

/** The report of some definitions against a source's passages (for a bank, or an import preview). */
export async function reportFor(bank: Pick<BankSummary, 'sourceId' | 'topics'>, definitions: readonly QuestionDefinition[]): Promise<QualityReport> {
  const source = await getSource(bank.sourceId);
  return qualityReport(definitions, { passages: new Map(source.passages.map((p) => [p.id, p])), topics: bank.topics.map((t) => t.slug) });
}

/** The item-quality report of a bank the caller may edit. */
export async function bankQuality(caller: Caller, bankId: string): Promise<BankQualityPage> {
  const bank = await getEditableBank(caller, bankId);
  const stored = await findQuestions(bank.id);
  const report = await reportFor(
    bank,
    stored.map((q) => q.definition),
  );
  const questions = Object.fromEntries(
    stored.map((q) => [
      q.key,
      { id: q.id, key: q.key, prompt: q.definition.prompt.length > 120 ? `${q.definition.prompt.slice(0, 120)}…` : q.definition.prompt },
    ]),
  );
  return { bank, report, questions };
}

/** The flags of one question of a bank, judged with the rest of the bank (giveaways and duplicates need it). */
export async function questionQuality(bank: BankSummary, key: string): Promise<QualityFlag[]> {
  const stored = await findQuestions(bank.id);
  const report = await reportFor(
    bank,
    stored.map((q) => q.definition),
  );
  return flagsOf(report, key);
}
