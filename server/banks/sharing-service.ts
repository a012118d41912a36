import mongoose from 'mongoose';
import { Bank } from './model.ts';
import { getEditableBank, type BankSummary } from './service.ts';
import type { Caller } from '../accounts/index.ts';
import { classesTaughtBy, teachesAll, type ClassRef } from '../classes/index.ts';
import { ValidationError } from '../http/errors.ts';

/** Quizzes whose review hides answer keys, assigned to some of these classes and drawing from a bank (quizzes answers). */
export type KeyHidingQuizzes = (bankId: string, classIds: readonly string[]) => Promise<Array<{ id: string; title: string }>>;

/** The sharing page of a bank the caller may edit: the classes they teach, ticked where shared. */
export async function bankSharingPage(caller: Caller, bankId: string): Promise<{ bank: BankSummary; classes: Array<ClassRef & { shared: boolean }> }> {
  const bank = await getEditableBank(caller, bankId);
  const taught = await classesTaughtBy(caller.id);
  const shared = new Set(bank.sharedWithClassIds);
  // A class shared by someone else (an admin's view) still shows, so an unshare is possible.
  return { bank, classes: taught.map((c) => ({ ...c, shared: shared.has(c.id) })) };
}

/**
 * Shares a bank for self-study with exactly these classes (an empty list makes it private again).
 * Only the bank's editor, only classes they teach; refused while a quiz of those classes hides its
 * answer keys and draws from this bank, since practice would show the keys (studentsMayPractise).
 */
export async function shareBank(caller: Caller, bankId: string, classIds: readonly string[], keyHidingQuizzes: KeyHidingQuizzes): Promise<BankSummary> {
  const bank = await getEditableBank(caller, bankId);
  const wanted = [...new Set(classIds)];
  if (wanted.length && !(await teachesAll(caller, wanted)))
    throw new ValidationError('Share the bank only with classes you teach.', { classIds: 'Choose classes you teach.' });
  const added = wanted.filter((id) => !bank.sharedWithClassIds.includes(id));
  const clashes = added.length ? await keyHidingQuizzes(bank.id, added) : [];
  if (clashes.length) {
    const names = clashes.map((q) => `"${q.title}"`).join(', ');
    throw new ValidationError(
      `Not shared: the quiz ${names} draws from this bank and hides its answers from these students; practice would show them. Let that quiz's review show answers, or share with other classes.`,
      { classIds: 'A quiz of these classes keeps this bank’s answers hidden.' },
    );
  }
  await Bank.updateOne({ _id: bank.id }, { $set: { sharedWithClassIds: wanted.map((id) => new mongoose.Types.ObjectId(id)) } });
  return { ...bank, sharedWithClassIds: wanted };
}
