import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { Bank, Question, type QuestionDoc } from './model.ts';
import { findQuestions, getEditableBank, getStudyableBank, type BankSummary, type StoredQuestion } from './service.ts';
import { checkSourceRef, validateBankFile, type BankFile } from './bank-file.ts';
import { questionFields } from './load-bank.ts';
import { exportGift, parseGift, type GiftDefaults } from './gift.ts';
import { formToDefinition, type QuestionFormValues, type QuestionFormField } from './question-form.ts';
import type { BankInput, ImportInput } from './schemas.ts';
import { Source } from '../sources/model.ts';
import { getSource } from '../sources/service.ts';
import type { Passage } from '../sources/passages.ts';
import type { Caller } from '../accounts/roles.ts';
import { QUESTION_TYPES, type QuestionDefinition, type QuestionType, type Topic } from '../questions/definition.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';

/** A row of the editor's question table (the answer stays out of it). */
export interface QuestionRow {
  id: string;
  key: string;
  type: QuestionType;
  topics: Topic[];
  difficulty: string;
  passageId: string;
  prompt: string;
  version: number;
}

/** A passage as the editor's passage select shows it. */
export interface PassageOption {
  id: string;
  label: string;
}

const isDuplicateKey = (err: unknown) => (err as { code?: unknown })?.code === 11000;

function assertAuthor(caller: Caller): void {
  if (caller.role !== 'instructor' && caller.role !== 'admin') throw new ForbiddenError('Only instructors can make question banks.');
}

function slugify(text: string, max = 40): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

/** A bank slug no other bank has: the title slugged plus a random suffix. */
function newSlug(title: string): string {
  return `${slugify(title) || 'bank'}-${randomBytes(3).toString('hex')}`;
}

/** The sources a bank can be written against, for the new-bank form. */
export async function listSources(): Promise<{ id: string; title: string }[]> {
  const docs = await Source.find({}, { title: 1 }).sort({ title: 1 }).lean();
  return docs.map((d) => ({ id: String(d._id), title: d.title }));
}

/** The passages of a bank's source, by id, for checking quotes. */
async function passagesOf(bank: BankSummary): Promise<Map<string, Passage>> {
  const source = await getSource(bank.sourceId);
  return new Map(source.passages.map((p) => [p.id, p]));
}

/** The passages of a bank's source as select options: id and the start of the text. */
export async function passageOptions(bank: BankSummary): Promise<PassageOption[]> {
  const source = await getSource(bank.sourceId);
  return source.passages.map((p) => ({ id: p.id, label: `${p.id}: ${p.text.length > 80 ? `${p.text.slice(0, 80)}…` : p.text}` }));
}

/** Creates an empty bank owned by the caller. Returns its id. */
export async function createBank(caller: Caller, input: BankInput & { sourceId: string }): Promise<string> {
  assertAuthor(caller);
  if (!(await Source.exists({ _id: input.sourceId }))) throw new ValidationError('Please correct the fields marked below.', { sourceId: 'Choose a source from the list.' });
  const bank = await Bank.create({
    slug: newSlug(input.title),
    title: input.title,
    description: input.description,
    sourceId: input.sourceId,
    ownerId: new mongoose.Types.ObjectId(caller.id),
  });
  return String(bank._id);
}

/** Changes a bank's title and description (owner or admin). */
export async function updateBank(caller: Caller, bankId: string, input: BankInput): Promise<void> {
  await getEditableBank(caller, bankId);
  await Bank.updateOne({ _id: bankId }, { $set: { title: input.title, description: input.description } });
}

/**
 * Copies a bank the caller may study (typically the shipped one) into a new bank the caller
 * owns, keeping question keys, so an instructor can adapt it. Returns the new bank's id.
 */
export async function duplicateBank(caller: Caller, bankId: string): Promise<string> {
  assertAuthor(caller);
  const original = await getStudyableBank(caller, bankId);
  const questions = await findQuestions(original.id);
  const bank = await Bank.create({
    slug: newSlug(original.title),
    title: `${original.title} (my copy)`.slice(0, 200),
    description: original.description,
    sourceId: original.sourceId,
    ownerId: new mongoose.Types.ObjectId(caller.id),
  });
  try {
    if (questions.length) {
      await Question.insertMany(
        questions.map((q) => ({ bankId: bank._id, key: q.key, ...questionFields(q.definition), version: 1, retired: false })),
        { ordered: true },
      );
    }
  } catch (err) {
    // No transactions: undo by hand so a half-copied bank never stays behind.
    await Question.deleteMany({ bankId: bank._id });
    await Bank.deleteOne({ _id: bank._id });
    throw err;
  }
  return String(bank._id);
}

function row(q: StoredQuestion): QuestionRow {
  const d = q.definition;
  return {
    id: q.id,
    key: q.key,
    type: d.type,
    topics: d.topics,
    difficulty: d.difficulty,
    passageId: d.source.passageId,
    prompt: d.prompt.length > 120 ? `${d.prompt.slice(0, 120)}…` : d.prompt,
    version: q.version,
  };
}

/** The editor's view of a bank: the bank and its live questions, filtered by topic and type. */
export async function bankEditor(
  caller: Caller,
  bankId: string,
  filter: { topic?: Topic; type?: QuestionType },
): Promise<{ bank: BankSummary; rows: QuestionRow[]; retired: number }> {
  const bank = await getEditableBank(caller, bankId);
  const questions = await findQuestions(bank.id, {
    ...(filter.topic ? { topics: [filter.topic] } : {}),
    ...(filter.type ? { types: [filter.type] } : {}),
  });
  const retired = await Question.countDocuments({ bankId: bank.id, retired: true });
  return { bank, rows: questions.map(row), retired };
}

/** A live question of an editable bank, with its definition (for the edit form). */
export async function getQuestionForEdit(caller: Caller, bankId: string, questionId: string): Promise<{ bank: BankSummary; question: StoredQuestion }> {
  const bank = await getEditableBank(caller, bankId);
  const doc = await Question.findOne({ _id: questionId, bankId: bank.id, retired: false }).lean<QuestionDoc>();
  if (!doc) throw new NotFoundError('We could not find that question in this bank.');
  return { bank, question: { id: String(doc._id), bankId: bank.id, key: doc.key, version: doc.version ?? 1, definition: doc.definition as QuestionDefinition } };
}

/** Builds and checks a definition from the form, quote included; throws ValidationError with field messages. */
async function definitionFromForm(bank: BankSummary, form: QuestionFormValues, key: string, previous?: QuestionDefinition): Promise<QuestionDefinition> {
  const result = formToDefinition(form, key, previous);
  if (!result.ok) throw new ValidationError('Please correct the fields marked below.', result.errors as Record<string, string>);
  const problem = checkSourceRef(result.definition, await passagesOf(bank));
  if (problem) {
    const field: QuestionFormField = problem.startsWith('unknown passage') ? 'passageId' : 'quote';
    const message =
      field === 'passageId' ? 'Choose a passage of this bank\'s source.' : 'The quote must appear word for word in the chosen passage: copy it from the passage.';
    throw new ValidationError('Please correct the fields marked below.', { [field]: message });
  }
  return result.definition;
}

/** All keys a bank has used, retired questions included (their keys are never reused). */
async function usedKeys(bankId: string): Promise<Set<string>> {
  const docs = await Question.find({ bankId }, { key: 1 }).lean();
  return new Set(docs.map((d) => d.key));
}

/** The first `q-NNN` key not yet used in a bank. */
function nextFormKey(used: Set<string>): string {
  for (let n = used.size + 1; ; n++) {
    const key = `q-${String(n).padStart(3, '0')}`;
    if (!used.has(key)) return key;
  }
}

/** A key based on `wanted` that is not in `used` (`wanted`, then `wanted-2`, `wanted-3`, …). */
function freeKey(wanted: string, used: Set<string>): string {
  if (!used.has(wanted)) return wanted;
  const base = wanted.slice(0, 58).replace(/-+$/, '');
  for (let n = 2; ; n++) {
    const key = `${base}-${n}`;
    if (!used.has(key)) return key;
  }
}

/** Adds a question to an editable bank from the editor form. Returns the stored question. */
export async function createQuestion(caller: Caller, bankId: string, form: QuestionFormValues): Promise<StoredQuestion> {
  const bank = await getEditableBank(caller, bankId);
  // Validate once with a placeholder key, so bad input never waits on the database.
  const checked = await definitionFromForm(bank, form, 'new-question');
  for (let attempt = 0; attempt < 3; attempt++) {
    const key = nextFormKey(await usedKeys(bank.id));
    const definition: QuestionDefinition = { ...checked, id: key };
    try {
      const doc = await Question.create({ bankId: bank.id, key, ...questionFields(definition), version: 1, retired: false });
      return { id: String(doc._id), bankId: bank.id, key, version: 1, definition };
    } catch (err) {
      // Another author took the same key at the same moment: pick the next one.
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new ConflictError('Several questions were being added at once. Please send the form again.');
}

/**
 * Replaces a question's content from the editor form, keeping its key. The version grows when
 * the content changed; `expectedVersion` refuses an edit made on a stale form (409).
 */
export async function updateQuestion(
  caller: Caller,
  bankId: string,
  questionId: string,
  form: QuestionFormValues,
  expectedVersion: number,
): Promise<StoredQuestion> {
  const { bank, question } = await getQuestionForEdit(caller, bankId, questionId);
  const definition = await definitionFromForm(bank, form, question.key, question.definition);
  const fields = questionFields(definition);
  if (fields.hash === questionFields(question.definition).hash && expectedVersion === question.version) return question;
  const updated = await Question.findOneAndUpdate(
    { _id: question.id, bankId: bank.id, retired: false, version: expectedVersion },
    { $set: fields, $inc: { version: 1 } },
    { returnDocument: 'after' },
  ).lean<QuestionDoc>();
  if (!updated) throw new ConflictError('Someone changed this question after you opened it. Reload the page to see their version, then make your change again.');
  return { id: question.id, bankId: bank.id, key: question.key, version: updated.version ?? 1, definition };
}

/**
 * Retires a question: it leaves the bank's lists, quizzes and studies, but stays stored, since
 * attempts and reviews refer to it.
 */
export async function retireQuestion(caller: Caller, bankId: string, questionId: string): Promise<StoredQuestion> {
  const { bank, question } = await getQuestionForEdit(caller, bankId, questionId);
  await Question.updateOne({ _id: question.id, bankId: bank.id }, { $set: { retired: true } });
  return question;
}

// ---------------------------------------------------------------------------------------------
// Import and export

/** What an import would do, shown before anything is written. */
export interface ImportPreview {
  format: ImportInput['format'];
  /** Every problem found, each naming its line (GIFT) or question (JSON). */
  errors: { where: string; message: string }[];
  questions: { key: string; originalId: string; type: QuestionType; prompt: string }[];
  byType: { type: QuestionType; count: number }[];
  /** How many questions get a new key because theirs is taken in this bank. */
  renamed: number;
}

/** 1-based first line of each question of a GIFT file, in order (as parseGift splits it). */
export function giftQuestionLines(text: string): number[] {
  const starts: number[] = [];
  let inQuestion = false;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const trimmed = raw.trim();
      if (trimmed === '') {
        inQuestion = false;
        return;
      }
      if (trimmed.startsWith('//') || /^\$CATEGORY:/i.test(trimmed)) return;
      if (!inQuestion) starts.push(i + 1);
      inQuestion = true;
    });
  return starts;
}

/** GIFT defaults from the import form; a given passage and quote must agree. */
function giftDefaults(input: ImportInput, passages: ReadonlyMap<string, Passage>): GiftDefaults {
  const defaults: GiftDefaults = {};
  if (input.defaultTopic) defaults.topics = [input.defaultTopic];
  if (input.defaultPassageId || input.defaultQuote) {
    const fields: Record<string, string> = {};
    const passage = passages.get(input.defaultPassageId);
    if (!input.defaultPassageId || !passage) fields.defaultPassageId = 'Choose the passage the default quote comes from.';
    else if (!input.defaultQuote) fields.defaultQuote = 'Copy the supporting words from the chosen passage.';
    else if (!passage.text.includes(input.defaultQuote)) fields.defaultQuote = 'The quote must appear word for word in the chosen passage.';
    if (Object.keys(fields).length) throw new ValidationError('Please correct the fields marked below.', fields);
    defaults.source = { passageId: input.defaultPassageId, quote: input.defaultQuote };
  }
  return defaults;
}

/** Parses and checks an import; the questions keep the ids of the file. */
function parseImport(
  bank: BankSummary,
  input: ImportInput,
  passages: ReadonlyMap<string, Passage>,
): { questions: QuestionDefinition[]; errors: ImportPreview['errors'] } {
  if (input.format === 'gift') {
    const result = parseGift(input.text, giftDefaults(input, passages));
    if ('errors' in result) return { questions: [], errors: result.errors.map((e) => ({ where: `line ${e.line}`, message: e.message })) };
    const lines = giftQuestionLines(input.text);
    const errors = result.questions.flatMap((q, i) => {
      const problem = checkSourceRef(q, passages);
      return problem ? [{ where: `line ${lines[i] ?? '?'}`, message: problem }] : [];
    });
    return { questions: errors.length ? [] : result.questions, errors };
  }
  let json: unknown;
  try {
    json = JSON.parse(input.text);
  } catch (err) {
    return { questions: [], errors: [{ where: 'file', message: `not valid JSON: ${(err as Error).message}` }] };
  }
  // A bare list of questions is read as this bank's file.
  if (Array.isArray(json)) json = { id: bank.slug, title: bank.title, sourceId: bank.sourceId, questions: json };
  const sourceId = (json as { sourceId?: unknown } | null)?.sourceId;
  if (typeof sourceId === 'string' && sourceId !== bank.sourceId) {
    return { questions: [], errors: [{ where: 'file', message: `the file's questions cite the source "${sourceId}", but this bank's source is "${bank.sourceId}"` }] };
  }
  const result = validateBankFile(json, passages);
  if (!result.ok) return { questions: [], errors: result.errors.map((e) => ({ where: e.where, message: e.reason })) };
  return { questions: result.bank.questions, errors: [] };
}

async function prepareImport(caller: Caller, bankId: string, input: ImportInput) {
  const bank = await getEditableBank(caller, bankId);
  const passages = await passagesOf(bank);
  const { questions, errors } = parseImport(bank, input, passages);
  const used = await usedKeys(bank.id);
  let renamed = 0;
  const keyed = questions.map((q) => {
    const key = freeKey(q.id, used);
    used.add(key);
    if (key !== q.id) renamed += 1;
    return { originalId: q.id, definition: { ...q, id: key } as QuestionDefinition };
  });
  return { bank, errors, keyed, renamed };
}

/** Parses and checks an import without writing anything: counts, prompts and every error. */
export async function previewImport(caller: Caller, bankId: string, input: ImportInput): Promise<ImportPreview> {
  const { errors, keyed, renamed } = await prepareImport(caller, bankId, input);
  const counts = new Map<QuestionType, number>();
  for (const { definition } of keyed) counts.set(definition.type, (counts.get(definition.type) ?? 0) + 1);
  return {
    format: input.format,
    errors,
    questions: keyed.map(({ originalId, definition }) => ({ key: definition.id, originalId, type: definition.type, prompt: definition.prompt })),
    byType: QUESTION_TYPES.filter((t) => counts.has(t)).map((t) => ({ type: t, count: counts.get(t)! })),
    renamed,
  };
}

/**
 * Imports every question of a file into a bank, or none: the text is checked again (it came
 * back from the browser), and if a write fails the questions already written are removed.
 */
export async function commitImport(caller: Caller, bankId: string, input: ImportInput): Promise<number> {
  const { bank, errors, keyed } = await prepareImport(caller, bankId, input);
  if (errors.length) throw new ValidationError(`Nothing was imported: the file has ${errors.length} problem${errors.length === 1 ? '' : 's'}.`);
  if (!keyed.length) throw new ValidationError('Nothing was imported: the file has no questions.', { text: 'Paste at least one question.' });
  const docs = keyed.map(({ definition }) => ({
    _id: new mongoose.Types.ObjectId(),
    bankId: new mongoose.Types.ObjectId(bank.id),
    key: definition.id,
    ...questionFields(definition),
    version: 1,
    retired: false,
  }));
  try {
    await Question.insertMany(docs, { ordered: true });
  } catch (err) {
    await Question.deleteMany({ _id: { $in: docs.map((d) => d._id) } });
    if (isDuplicateKey(err)) throw new ConflictError('Nothing was imported: someone added questions to this bank at the same time. Please import again.');
    throw err;
  }
  return docs.length;
}

/** The bank as our JSON bank file (answers included: editors only). */
export async function exportBankJson(caller: Caller, bankId: string): Promise<{ filename: string; file: BankFile }> {
  const bank = await getEditableBank(caller, bankId);
  const questions = await findQuestions(bank.id);
  return {
    filename: `${bank.slug}.json`,
    file: { id: bank.slug, title: bank.title, description: bank.description, sourceId: bank.sourceId, questions: questions.map((q) => q.definition) },
  };
}

/** The bank as GIFT text, with the questions GIFT cannot hold listed in a comment at the top. */
export async function exportBankGift(caller: Caller, bankId: string): Promise<{ filename: string; text: string; skipped: number }> {
  const bank = await getEditableBank(caller, bankId);
  const questions = await findQuestions(bank.id);
  const { text, skipped } = exportGift(questions.map((q) => q.definition));
  const head = [`// ${bank.title.replace(/[\r\n]+/g, ' ')}: exported from Lectern in Moodle's GIFT format.`];
  if (skipped.length) {
    head.push(`// ${skipped.length} question${skipped.length === 1 ? ' is' : 's are'} not included, because GIFT cannot hold them:`);
    for (const s of skipped) head.push(`//   ${s.id}: ${s.reason}`);
  }
  return { filename: `${bank.slug}.gift.txt`, text: `${head.join('\n')}\n\n${text}`, skipped: skipped.length };
}
