import { findQuestions, getEditableBank } from './service.ts';
import { exportAnkiText } from './formats/anki-text/index.ts';
import { exportQuizlet } from './formats/quizlet/index.ts';
import { exportCsvQuestions } from './formats/csv/export.ts';
import { exportMoodleXml } from './formats/moodle-xml/index.ts';
import { buildAnkiPackage } from './formats/anki-package/index.ts';
import type { Caller } from '../accounts/index.ts';

/* Exports of a bank in the foreign formats beyond GIFT: editors only, answers included. */

export const TEXT_EXPORTS = {
  anki: { suffix: 'anki.txt', write: (defs, title) => exportAnkiText(defs, title) },
  quizlet: { suffix: 'quizlet.txt', write: (defs) => exportQuizlet(defs) },
  csv: { suffix: 'csv', write: (defs) => exportCsvQuestions(defs) },
  moodle: { suffix: 'moodle.xml', write: (defs, title) => exportMoodleXml(defs, title) },
} as const satisfies Record<string, { suffix: string; write: (defs: Parameters<typeof exportQuizlet>[0], title: string) => string }>;
export type TextExport = keyof typeof TEXT_EXPORTS;

/** The bank's live questions written in a text format, with the file's name. */
export async function exportBankText(caller: Caller, bankId: string, format: TextExport): Promise<{ filename: string; text: string }> {
  const bank = await getEditableBank(caller, bankId);
  const questions = await findQuestions(bank.id);
  const { suffix, write } = TEXT_EXPORTS[format];
  return {
    filename: `${bank.slug}.${suffix}`,
    text: write(
      questions.map((q) => q.definition),
      bank.title,
    ),
  };
}

/** The bank's live questions as an Anki deck package (.apkg), with the file's name. */
export async function exportBankApkg(caller: Caller, bankId: string): Promise<{ filename: string; bytes: Uint8Array }> {
  const bank = await getEditableBank(caller, bankId);
  const questions = await findQuestions(bank.id);
  return {
    filename: `${bank.slug}.apkg`,
    bytes: buildAnkiPackage(
      questions.map((q) => q.definition),
      { deck: bank.title, bankKey: bank.id },
    ),
  };
}
