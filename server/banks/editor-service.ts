import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { Bank, Question, type QuestionDoc } from './model.ts';
import { findQuestions, getEditableBank, getStudyableBank, type BankSummary, type StoredQuestion } from './service.ts';
import { checkSourceRef, withPassageQuote } from './bank-file.ts';
import { questionFields } from './load-bank.ts';
import { IdAllocator } from './unique-ids.ts';
import { formToDefinition, type QuestionFormValues, type QuestionFormField } from './question-form.ts';
import type { BankInput } from './schemas.ts';
import { changedPassages, findSource, passageById, sourceExists, sourceTitles, type Passage } from '../sources/index.ts';
import { canAuthor, type Caller } from '../accounts/index.ts';
import { type QuestionDefinition, type QuestionType } from '../questions/definition.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import { slugify } from '../slug.ts';
import { topicsFromSections, topicsProblem } from './topics.ts';
import { isDuplicateKey } from '../mongo-errors.ts';

/** A row of the editor's question table (the answer stays out of it). */
export interface QuestionRow {
  id: string;
  key: string;
  type: QuestionType;
  topics: string[];
  difficulty: string;
  passageId: string;
  prompt: string;
  version: number;
  /** Set when a new version of the source changed or removed the cited passage, or the quote is gone from it. */
  sourceChanged?: { change: 'changed' | 'removed' | 'quote'; oldText: string; newText: string };
}

/** A passage as the editor's passage select shows it: `id` is the form value, `group` its source's title. */
export interface PassageOption {
  id: string;
  label: string;
  group: string;
}

function assertAuthor(caller: Caller): void {
  if (!canAuthor(caller)) throw new ForbiddenError('Only instructors can make question banks.');
}

/** A bank slug no other bank has: the title slugged plus a random suffix. */
function newSlug(title: string): string {
  return `${slugify(title, 40) || 'bank'}-${randomBytes(3).toString('hex')}`;
}

/** The sources a bank can be written against, for the new-bank form. */
export function listSources(): Promise<{ id: string; title: string }[]> {
  return sourceTitles();
}

/** Passages by a question's `source.sourceId` (undefined: the bank's first source). */
export type PassageLookup = (sourceId: string | undefined) => Map<string, Passage> | undefined;

/** The passages of a bank's sources, for checking quotes: a lookup by a question's `source.sourceId`. */
export async function passagesOf(bank: BankSummary): Promise<PassageLookup> {
  const maps = new Map<string, Map<string, Passage>>();
  for (const id of bank.sourceIds) {
    const source = await findSource(id);
    if (source) maps.set(id, new Map(source.passages.map((p) => [p.id, p])));
  }
  // The first source is named by no id; naming it explicitly is allowed too.
  return (sourceId) => maps.get(sourceId ?? bank.sourceId);
}

/** The passages of a bank's sources as select options ("passage", or "source#passage" beyond the first source). */
export async function passageOptions(bank: BankSummary): Promise<PassageOption[]> {
  const options: PassageOption[] = [];
  for (const id of bank.sourceIds) {
    const source = await findSource(id);
    if (!source) continue;
    for (const p of source.passages) {
      options.push({
        id: id === bank.sourceId ? p.id : `${id}#${p.id}`,
        group: source.title,
        label: `${p.id}: ${p.text.length > 80 ? `${p.text.slice(0, 80)}…` : p.text}`,
      });
    }
  }
  return options;
}

/**
 * Sets the sources a bank is built on: its first source stays first; a source is removed only
 * when no live question cites it. Returns the new list.
 */
export async function setBankSources(caller: Caller, bankId: string, sourceIds: readonly string[]): Promise<string[]> {
  const bank = await getEditableBank(caller, bankId);
  const wanted = [...new Set([bank.sourceId, ...sourceIds])];
  if (wanted.length > 20) throw new ValidationError('A bank is built on at most 20 sources.', { sourceIds: 'Choose at most 20 sources.' });
  for (const id of wanted) {
    if (!(await sourceExists(id))) throw new ValidationError('Please correct the fields marked below.', { sourceIds: 'Choose sources from the list.' });
  }
  const dropped = bank.sourceIds.filter((id) => !wanted.includes(id));
  if (dropped.length) {
    const citing = await Question.countDocuments({ bankId: bank.id, retired: false, sourceId: { $in: dropped } });
    if (citing)
      throw new ValidationError(`${citing} question${citing === 1 ? ' cites' : 's cite'} a source you took off: edit ${citing === 1 ? 'it' : 'them'} first.`, {
        sourceIds: 'A question still cites that source.',
      });
  }
  await Bank.updateOne({ _id: bank.id }, { $set: { sourceIds: wanted } });
  return wanted;
}

/** Creates an empty bank owned by the caller. Returns its id. */
export async function createBank(caller: Caller, input: BankInput & { sourceId: string }): Promise<string> {
  assertAuthor(caller);
  const source = await findSource(input.sourceId);
  if (!source) throw new ValidationError('Please correct the fields marked below.', { sourceId: 'Choose a source from the list.' });
  const bank = await Bank.create({
    slug: newSlug(input.title),
    title: input.title,
    description: input.description,
    sourceId: input.sourceId,
    sourceIds: [input.sourceId],
    topics: topicsFromSections(source.sections),
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
    sourceIds: original.sourceIds,
    topics: original.topics,
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
  filter: { topic?: string; type?: QuestionType },
): Promise<{ bank: BankSummary; rows: QuestionRow[]; retired: number }> {
  const bank = await getEditableBank(caller, bankId);
  // A topic the bank does not have filters nothing (as an unknown type does).
  const topic = filter.topic && bank.topics.some((t) => t.slug === filter.topic) ? filter.topic : undefined;
  const questions = await findQuestions(bank.id, {
    ...(topic ? { topics: [topic] } : {}),
    ...(filter.type ? { types: [filter.type] } : {}),
  });
  const retired = await Question.countDocuments({ bankId: bank.id, retired: true });
  const rows = await Promise.all(questions.map(async (q) => ({ ...row(q), ...(await sourceChange(q, bank)) })));
  return { bank, rows, retired };
}

/** "Source changed": the cited passage changed or went in the source's latest version, or no longer holds the quote. */
async function sourceChange(q: StoredQuestion, bank: BankSummary): Promise<Pick<QuestionRow, 'sourceChanged'>> {
  const { passageId, quote } = q.definition.source;
  const sourceId = q.definition.source.sourceId ?? bank.sourceId;
  const change = (await changedPassages(sourceId)).find((c) => c.passageId === passageId);
  if (change) return { sourceChanged: { change: change.change, oldText: change.oldText, newText: change.newText } };
  const passage = await passageById(sourceId, passageId);
  if (passage && !passage.text.includes(quote)) return { sourceChanged: { change: 'quote', oldText: quote, newText: passage.text } };
  return {};
}

/** A live question of an editable bank, with its definition (for the edit form). */
export async function getQuestionForEdit(caller: Caller, bankId: string, questionId: string): Promise<{ bank: BankSummary; question: StoredQuestion }> {
  const bank = await getEditableBank(caller, bankId);
  const doc = await Question.findOne({ _id: questionId, bankId: bank.id, retired: false }).lean<QuestionDoc>();
  if (!doc) throw new NotFoundError('We could not find that question in this bank.');
  return { bank, question: { id: String(doc._id), bankId: bank.id, key: doc.key, version: doc.version ?? 1, definition: doc.definition } };
}

/** Builds and checks a definition from the form, quote included; throws ValidationError with field messages. */
async function definitionFromForm(bank: BankSummary, form: QuestionFormValues, key: string, previous?: QuestionDefinition): Promise<QuestionDefinition> {
  const result = formToDefinition(form, key, previous);
  // The tags must be the bank's own topics; said beside the field with any other mistake.
  const topicError: Record<string, string> =
    form.topics.length && topicsProblem(form.topics, bank.topics)
      ? { topics: bank.topics.length ? 'Choose topics from the list.' : 'This bank has no topics yet: add them on its topics page first.' }
      : {};
  if (!result.ok) throw new ValidationError('Please correct the fields marked below.', { ...result.errors, ...topicError });
  if (topicError.topics) throw new ValidationError('Please correct the fields marked below.', topicError);
  const passages = await passagesOf(bank);
  const problem = checkSourceRef(result.definition, passages);
  if (problem) {
    const field: QuestionFormField = problem.startsWith('unknown passage') ? 'passageId' : 'quote';
    const message =
      field === 'passageId'
        ? "Choose a passage of this bank's source."
        : 'The quote must appear word for word in the chosen passage: copy it from the passage.';
    throw new ValidationError('Please correct the fields marked below.', { [field]: message });
  }
  return withPassageQuote(result.definition, passages);
}

/** All keys a bank has used, retired questions included (their keys are never reused). */
export async function usedKeys(bankId: string): Promise<Set<string>> {
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
/** A free key for a wanted one: itself, else the smallest free "-n" suffix of its first 58 characters. */
export function freeKey(wanted: string, used: IdAllocator): string {
  return used.take(wanted, wanted.slice(0, 58).replace(/-+$/, ''));
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
  if (!updated)
    throw new ConflictError('Someone changed this question after you opened it. Reload the page to see their version, then make your change again.');
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
