import mongoose from 'mongoose';
import { Bank, Question } from './model.ts';
import { findQuestions, getEditableBank, getStudyableBank, type BankRef, type BankSummary } from './service.ts';
import { checkSourceRef, validateBankFile, withPassageQuote, type BankFile } from './bank-file.ts';
import { findQuote } from './find-quote.ts';
import { reportFor } from './quality-service.ts';
import type { QualityReport } from './quality/index.ts';
import { questionFields } from './load-bank.ts';
import { exportGift, type GiftDefaults } from './formats/gift/index.ts';
import { isForeignFormat, readForeign } from './formats/index.ts';
import { IdAllocator } from './unique-ids.ts';
import type { ImportInput } from './schemas.ts';
import type { Passage } from '../sources/index.ts';
import { canAuthor, type Caller } from '../accounts/index.ts';
import { QUESTION_TYPES, type QuestionDefinition, type QuestionType } from '../questions/definition.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import { topicsProblem, type BankTopic } from './topics.ts';
import { isDuplicateKey } from '../mongo-errors.ts';
import { freeKey, passagesOf, usedKeys, type PassageLookup } from './editor-service.ts';
import { isRecord } from '../object-shape.ts';

/* Import (JSON and the foreign formats of formats/: preview, then commit) and export of a bank's questions. */

/** What an import would do, shown before anything is written. */
export interface ImportPreview {
  format: ImportInput['format'];
  /** Every problem found, each naming its line (GIFT) or question (JSON). */
  errors: { where: string; message: string }[];
  questions: { key: string; originalId: string; type: QuestionType; prompt: string }[];
  byType: { type: QuestionType; count: number }[];
  /** How many questions get a new key because theirs is taken in this bank. */
  renamed: number;
  /** How many questions of the file the errors refuse (a foreign file may be imported without them). */
  refused: number;
  /** The item-quality report of the questions about to be imported (null when there are none). */
  quality: QualityReport | null;
}

/** GIFT defaults from the import form; a given passage and quote must agree. */
function giftDefaults(input: ImportInput, lookup: PassageLookup, topics: readonly BankTopic[]): GiftDefaults {
  // The default passage is one of the bank's first source.
  const passages = lookup(undefined) ?? new Map<string, Passage>();
  const defaults: GiftDefaults = {};
  if (input.defaultTopic && topicsProblem([input.defaultTopic], topics))
    throw new ValidationError('Please correct the fields marked below.', { defaultTopic: 'Choose a topic from the list.' });
  if (input.defaultTopic) defaults.topics = [input.defaultTopic];
  if (input.defaultPassageId || input.defaultQuote) {
    const fields: Record<string, string> = {};
    const passage = passages.get(input.defaultPassageId);
    if (!input.defaultPassageId || !passage) fields.defaultPassageId = 'Choose the passage the default quote comes from.';
    else if (!input.defaultQuote) fields.defaultQuote = 'Copy the supporting words from the chosen passage.';
    else if (findQuote(passage.text, input.defaultQuote) === null) fields.defaultQuote = 'The quote must appear word for word in the chosen passage.';
    if (Object.keys(fields).length) throw new ValidationError('Please correct the fields marked below.', fields);
    defaults.source = { passageId: input.defaultPassageId, quote: findQuote(passage!.text, input.defaultQuote)! };
  }
  return defaults;
}

/** Parses and checks an import; the questions keep the ids of the file. */
async function parseImport(
  bank: BankSummary,
  input: ImportInput,
  passages: PassageLookup,
): Promise<{ questions: QuestionDefinition[]; topics: BankTopic[]; errors: ImportPreview['errors']; refused: number }> {
  if (isForeignFormat(input.format)) {
    // A foreign file: every question that can be read is kept, each other one listed with its line.
    const defaults = { ...giftDefaults(input, passages, bank.topics), bankTopics: bank.topics.map((t) => t.slug) };
    const read = await readForeign(input.format, input.text, defaults, input);
    const errors = read.errors.map((e) => ({ line: e.line, message: e.message }));
    const questions: QuestionDefinition[] = [];
    for (const q of read.questions) {
      const problem = checkSourceRef(q.definition, passages);
      if (problem) errors.push({ line: q.line, message: problem });
      else questions.push(withPassageQuote(q.definition, passages));
    }
    errors.sort((a, b) => a.line - b.line);
    return {
      questions,
      topics: bank.topics,
      errors: errors.map((e) => ({ where: `line ${e.line}`, message: e.message })),
      refused: read.refused + (read.questions.length - questions.length),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(input.text);
  } catch (err) {
    return {
      questions: [],
      topics: bank.topics,
      errors: [{ where: 'file', message: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` }],
      refused: 0,
    };
  }
  // A bare list of questions is read as this bank's file.
  if (Array.isArray(json)) json = { id: bank.slug, title: bank.title, sourceId: bank.sourceId, questions: json };
  const sourceId = isRecord(json) ? json.sourceId : undefined;
  if (typeof sourceId === 'string' && sourceId !== bank.sourceId) {
    return {
      questions: [],
      topics: bank.topics,
      errors: [{ where: 'file', message: `the file's questions cite the source "${sourceId}", but this bank's source is "${bank.sourceId}"` }],
      refused: 0,
    };
  }
  // The file's own topics join the bank's (a file exported from Lectern carries them).
  const result = validateBankFile(json, passages, bank.topics);
  // A Lectern file is all or nothing: its questions are never skipped one by one.
  if (!result.ok) return { questions: [], topics: bank.topics, errors: result.errors.map((e) => ({ where: e.where, message: e.reason })), refused: 0 };
  return { questions: result.bank.questions, topics: result.bank.topics, errors: [], refused: 0 };
}

async function prepareImport(caller: Caller, bankId: string, input: ImportInput) {
  const bank = await getEditableBank(caller, bankId);
  const passages = await passagesOf(bank);
  const { questions, topics, errors, refused } = await parseImport(bank, input, passages);
  const used = new IdAllocator(await usedKeys(bank.id));
  let renamed = 0;
  const keyed = questions.map((q) => {
    const key = freeKey(q.id, used);
    if (key !== q.id) renamed += 1;
    const definition: QuestionDefinition = { ...q, id: key };
    return { originalId: q.id, definition };
  });
  return { bank, errors, keyed, renamed, topics, refused };
}

/** Parses and checks an import without writing anything: counts, prompts and every error. */
export async function previewImport(caller: Caller, bankId: string, input: ImportInput): Promise<ImportPreview> {
  const { bank, errors, keyed, renamed, refused } = await prepareImport(caller, bankId, input);
  const quality = keyed.length
    ? await reportFor(
        bank,
        keyed.map((k) => k.definition),
      )
    : null;
  const counts = new Map<QuestionType, number>();
  for (const { definition } of keyed) counts.set(definition.type, (counts.get(definition.type) ?? 0) + 1);
  return {
    format: input.format,
    errors,
    questions: keyed.map(({ originalId, definition }) => ({ key: definition.id, originalId, type: definition.type, prompt: definition.prompt })),
    byType: QUESTION_TYPES.filter((t) => counts.has(t)).map((t) => ({ type: t, count: counts.get(t)! })),
    renamed,
    refused,
    quality,
  };
}

/**
 * Imports every question of a file into a bank, or none: the text is checked again (it came
 * back from the browser), and if a write fails the questions already written are removed.
 * With `skipBad` (GIFT only), the questions that can be imported go in and the others are skipped.
 */
export async function commitImport(caller: Caller, bankId: string, input: ImportInput): Promise<{ imported: number; skipped: number }> {
  const { bank, errors, keyed, topics, refused } = await prepareImport(caller, bankId, input);
  const skipping = input.skipBad === '1' && input.format !== 'json';
  if (errors.length && !skipping) throw new ValidationError(`Nothing was imported: the file has ${errors.length} problem${errors.length === 1 ? '' : 's'}.`);
  if (!keyed.length) throw new ValidationError('Nothing was imported: the file has no questions.', { text: 'Paste at least one question.' });
  const docs = keyed.map(({ definition }) => ({
    _id: new mongoose.Types.ObjectId(),
    bankId: new mongoose.Types.ObjectId(bank.id),
    key: definition.id,
    ...questionFields(definition),
    version: 1,
    retired: false,
  }));
  // Topics the file brought are added first, so no stored question ever carries an unknown topic.
  if (topics.length !== bank.topics.length) await Bank.updateOne({ _id: bank.id }, { $set: { topics } });
  try {
    await Question.insertMany(docs, { ordered: true });
  } catch (err) {
    await Question.deleteMany({ _id: { $in: docs.map((d) => d._id) } });
    if (isDuplicateKey(err)) throw new ConflictError('Nothing was imported: someone added questions to this bank at the same time. Please import again.');
    throw err;
  }
  return { imported: docs.length, skipped: skipping ? refused : 0 };
}

/** A bank the caller may export: one they may edit, or one shipped with Lectern for any author (exporting it copies nothing). */
async function exportableBank(caller: Caller, bankId: string): Promise<BankRef> {
  if (canAuthor(caller)) {
    // Not studyable (404/403) falls through to the editor's rule, which says why; a database error does not.
    const bank = await getStudyableBank(caller, bankId).catch((err: unknown) => {
      if (err instanceof NotFoundError || err instanceof ForbiddenError) return null;
      throw err;
    });
    if (bank && bank.ownerId === null) return bank;
  }
  return getEditableBank(caller, bankId);
}

/** The bank as our JSON bank file (answers included: editors only). */

export async function exportBankJson(caller: Caller, bankId: string): Promise<{ filename: string; file: BankFile }> {
  const bank = await exportableBank(caller, bankId);
  const questions = await findQuestions(bank.id);
  return {
    filename: `${bank.slug}.json`,
    file: {
      id: bank.slug,
      title: bank.title,
      description: bank.description,
      sourceId: bank.sourceId,
      ...(bank.sourceIds.length > 1 ? { sourceIds: bank.sourceIds } : {}),
      topics: bank.topics,
      questions: questions.map((q) => q.definition),
    },
  };
}

/** The bank as GIFT text, with the questions GIFT cannot hold listed in a comment at the top. */
export async function exportBankGift(caller: Caller, bankId: string): Promise<{ filename: string; text: string; skipped: number }> {
  const bank = await exportableBank(caller, bankId);
  const questions = await findQuestions(bank.id);
  const { text, skipped } = exportGift(questions.map((q) => q.definition));
  const head = [`// ${bank.title.replace(/[\r\n]+/g, ' ')}: exported from Lectern in Moodle's GIFT format.`];
  if (skipped.length) {
    head.push(`// ${skipped.length} question${skipped.length === 1 ? ' is' : 's are'} not included, because GIFT cannot hold them:`);
    for (const s of skipped) head.push(`//   ${s.id}: ${s.reason}`);
  }
  return { filename: `${bank.slug}.gift.txt`, text: `${head.join('\n')}\n\n${text}`, skipped: skipped.length };
}
