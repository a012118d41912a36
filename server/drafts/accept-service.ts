/**
 * Deciding drafts: accept one into a bank (it becomes a normal question of that bank, checked by
 * the bank editor's own validator), accept the top N, accept an edited version from the question
 * form, or reject. A decided draft stays stored, so the next run does not offer it again.
 */
import mongoose from 'mongoose';
import type { Caller } from '../accounts/index.ts';
import {
  changeBankTopics,
  createQuestion,
  definitionToForm,
  getEditableBank,
  type BankSummary,
  type QuestionFormValues,
  type StoredQuestion,
} from '../banks/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { QuestionDefinition } from '../questions/definition.ts';
import { isObjectId } from '../object-ids.ts';
import { DraftRecord, type DraftDoc } from './model.ts';
import { mapTopics, questionForBank, sectionTopicName } from './fingerprint.ts';
import { draftableSource, pendingDrafts } from './queue-service.ts';

/** The most drafts "accept the top N" takes at once. */
export const MAX_ACCEPT_TOP = 100;

/** A bank the caller may edit and that is built on the source (its questions may cite the source). */
async function targetBank(caller: Caller, sourceId: string, bankId: string): Promise<BankSummary> {
  const bank = await getEditableBank(caller, bankId);
  if (!bank.sourceIds.includes(sourceId))
    throw new ValidationError('That bank is not built on this source: add the source to the bank first, or choose another bank.', {
      bankId: 'Choose a bank built on this source.',
    });
  return bank;
}

/** A draft of the source (404 when unknown or of another source). */
async function draftOf(sourceId: string, draftId: string): Promise<DraftDoc> {
  const d = isObjectId(draftId) ? await DraftRecord.findOne({ _id: new mongoose.Types.ObjectId(draftId), sourceId }).lean<DraftDoc>() : null;
  if (!d) throw new NotFoundError('We could not find that draft.');
  return d;
}

/** Marks a pending draft decided, atomically: two clicks (or two editors) cannot both take it. */
async function claim(draft: DraftDoc, status: 'accepted' | 'rejected', caller: Caller): Promise<void> {
  const res = await DraftRecord.updateOne({ _id: draft._id, status: 'pending' }, { $set: { status, decidedBy: caller.id } });
  if (res.modifiedCount === 0) throw new ConflictError('This draft was decided already.');
}

const release = (draft: DraftDoc) => DraftRecord.updateOne({ _id: draft._id }, { $set: { status: 'pending', decidedBy: null } });

/** The draft as the bank would store it: topics mapped onto the bank's (none: what `fallback` gives). */
function asQuestion(draft: DraftDoc, bank: BankSummary, sourceId: string, topics?: string[]): QuestionDefinition {
  return questionForBank(draft.question, topics ?? mapTopics(draft.question.topics, bank.topics), sourceId, bank.sourceId);
}

/** Topics for an accepted draft: the bank's topics its suggestions name, else its section heading as a new topic of the bank. */
async function topicsFor(caller: Caller, draft: DraftDoc, bank: BankSummary): Promise<{ topics: string[]; bank: BankSummary }> {
  const mapped = mapTopics(draft.question.topics, bank.topics);
  if (mapped.length) return { topics: mapped, bank };
  const name = sectionTopicName(draft.sectionTitle);
  const named = bank.topics.find((t) => t.name.toLowerCase() === name.toLowerCase());
  if (named) return { topics: [named.slug], bank };
  const topics = await changeBankTopics(caller, bank.id, { kind: 'add', name });
  return { topics: [topics.at(-1)!.slug], bank: { ...bank, topics } };
}

/** Creates the bank question for a claimed draft; on failure the draft goes back to the queue. */
async function createFor(caller: Caller, draft: DraftDoc, bank: BankSummary, form: QuestionFormValues): Promise<StoredQuestion> {
  await claim(draft, 'accepted', caller);
  try {
    const q = await createQuestion(caller, bank.id, form);
    await DraftRecord.updateOne({ _id: draft._id }, { $set: { bankId: bank.id, questionId: q.id } });
    return q;
  } catch (err) {
    await release(draft);
    throw err;
  }
}

async function acceptOne(caller: Caller, sourceId: string, draft: DraftDoc, bank: BankSummary): Promise<{ question: StoredQuestion; bank: BankSummary }> {
  if (draft.status !== 'pending') throw new ConflictError('This draft was decided already.');
  const chosen = await topicsFor(caller, draft, bank);
  const question = await createFor(caller, draft, chosen.bank, definitionToForm(asQuestion(draft, chosen.bank, sourceId, chosen.topics)));
  return { question, bank: chosen.bank };
}

/** Accepts one draft into a bank the caller may edit. Returns the new question. */
export async function acceptDraft(caller: Caller, sourceId: string, draftId: string, bankId: string): Promise<StoredQuestion> {
  await draftableSource(caller, sourceId);
  const bank = await targetBank(caller, sourceId, bankId);
  const draft = await draftOf(sourceId, draftId);
  return (await acceptOne(caller, sourceId, draft, bank)).question;
}

/**
 * Accepts the first `n` drafts of the queue into a bank. Input is checked before anything is
 * written; a draft the bank's validator refuses stays in the queue and is counted as skipped.
 */
export async function acceptTop(caller: Caller, sourceId: string, n: number, bankId: string): Promise<{ accepted: number; skipped: number }> {
  await draftableSource(caller, sourceId);
  let bank = await targetBank(caller, sourceId, bankId);
  if (!Number.isInteger(n) || n < 1 || n > MAX_ACCEPT_TOP)
    throw new ValidationError(`Choose how many to accept: 1 to ${MAX_ACCEPT_TOP}.`, { n: `1 to ${MAX_ACCEPT_TOP}.` });
  const drafts = await pendingDrafts(sourceId, n);
  if (drafts.length < n)
    throw new ValidationError(`Only ${drafts.length} draft${drafts.length === 1 ? ' is' : 's are'} waiting.`, { n: `At most ${drafts.length}.` });
  let accepted = 0;
  let skipped = 0;
  for (const d of drafts) {
    try {
      bank = (await acceptOne(caller, sourceId, d, bank)).bank;
      accepted += 1;
    } catch (err) {
      if (!(err instanceof ValidationError || err instanceof ConflictError)) throw err;
      skipped += 1;
    }
  }
  return { accepted, skipped };
}

/** Rejects a draft: it leaves the queue and later runs do not bring it back. */
export async function rejectDraft(caller: Caller, sourceId: string, draftId: string): Promise<void> {
  await draftableSource(caller, sourceId);
  await claim(await draftOf(sourceId, draftId), 'rejected', caller);
}

/** A pending draft opened in a bank's question form: the form prefilled, topics mapped where they match. */
export async function draftForEdit(
  caller: Caller,
  sourceId: string,
  draftId: string,
  bankId: string,
): Promise<{ bank: BankSummary; draft: DraftDoc; form: QuestionFormValues }> {
  await draftableSource(caller, sourceId);
  const bank = await targetBank(caller, sourceId, bankId);
  const draft = await draftOf(sourceId, draftId);
  if (draft.status !== 'pending') throw new ConflictError('This draft was decided already.');
  return { bank, draft, form: definitionToForm(asQuestion(draft, bank, sourceId)) };
}

/** Saves the edited draft as a question of the bank (the form as the editor checks it) and marks the draft accepted. */
export async function acceptEdited(caller: Caller, sourceId: string, draftId: string, bankId: string, form: QuestionFormValues): Promise<StoredQuestion> {
  const { bank, draft } = await draftForEdit(caller, sourceId, draftId, bankId);
  return createFor(caller, draft, bank, form);
}
