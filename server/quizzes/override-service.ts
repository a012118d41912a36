import { Quiz, QuizOverride, type OverrideDoc, type QuizDoc } from './model.ts';
import { canManageQuiz } from './policy.ts';
import { applyOverrides, type QuizOverrideRule } from './overrides.ts';
import { quizSettings, type QuizSettings } from './settings.ts';
import type { OverrideInput } from './schemas.ts';
import { classNames, membershipsIn } from '../classes/index.ts';
import { usersByIds, type Caller } from '../accounts/index.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

const ruleOf = (o: OverrideDoc): QuizOverrideRule => ({
  timeLimitMultiplier: o.timeLimitMultiplier ?? null,
  extraMinutes: o.extraMinutes ?? null,
  dueAt: o.dueAt ?? null,
  closesAt: o.closesAt ?? null,
  extraAttempts: o.extraAttempts ?? null,
});

/**
 * The settings a student works under at a quiz, reached through `classId`: the quiz's own, with
 * their class's override and their own applied. Every rule the server enforces for a student
 * (start, deadline, attempts, review timing) reads these.
 */
export async function studentSettings(quiz: QuizDoc, userId: string, classId: string | null): Promise<QuizSettings & { overridden: boolean }> {
  const targets: Record<string, unknown>[] = [{ userId: oid(userId), classId: null }];
  if (classId && isObjectId(classId)) targets.push({ userId: null, classId: oid(classId) });
  const found = await QuizOverride.find({ quizId: quiz._id, $or: targets }).lean<OverrideDoc[]>();
  const own = found.find((o) => o.userId && String(o.userId) === userId) ?? null;
  const ofClass = found.find((o) => o.classId && String(o.classId) === classId) ?? null;
  return { ...applyOverrides(quizSettings(quiz), ofClass && ruleOf(ofClass), own && ruleOf(own)), overridden: Boolean(own || ofClass) };
}

/** An override as its quiz's owner sees it. */
export interface OverrideView extends QuizOverrideRule {
  id: string;
  target: 'user' | 'class';
  targetId: string;
  targetName: string;
}

async function managedQuiz(caller: Caller, quizId: string): Promise<QuizDoc> {
  const quiz = isObjectId(quizId) ? await Quiz.findById(quizId).lean<QuizDoc>() : null;
  if (!quiz || !canManageQuiz(caller, quiz)) throw new NotFoundError('We could not find that quiz.');
  return quiz;
}

/** The overrides of a quiz the caller manages, students first, by name. */
export async function listOverrides(caller: Caller, quizId: string): Promise<OverrideView[]> {
  const quiz = await managedQuiz(caller, quizId);
  const rows = await QuizOverride.find({ quizId: quiz._id }).lean<OverrideDoc[]>();
  const users = await usersByIds(rows.filter((r) => r.userId).map((r) => String(r.userId)));
  const classes = await classNames(rows.filter((r) => r.classId).map((r) => String(r.classId)));
  return rows
    .map((r) => {
      const target = r.userId ? ('user' as const) : ('class' as const);
      const targetId = String(r.userId ?? r.classId);
      const targetName = (target === 'user' ? users.get(targetId)?.name : classes.get(targetId)) ?? '(gone)';
      return { id: String(r._id), target, targetId, targetName, ...ruleOf(r) };
    })
    .sort((a, b) => (a.target === b.target ? a.targetName.localeCompare(b.targetName) : a.target === 'user' ? -1 : 1));
}

/**
 * Sets the override of one student of the quiz's classes, or of one of its classes (replacing the
 * one they had). Dates must keep their order with the quiz's: after it opens, and closing no
 * earlier than the due date the student will have.
 */
export async function saveOverride(caller: Caller, quizId: string, input: OverrideInput): Promise<void> {
  const quiz = await managedQuiz(caller, quizId);
  const classIds = (quiz.classIds ?? []).map(String);
  if (input.target === 'class') {
    if (!classIds.includes(input.targetId))
      throw new ValidationError('Choose a class this quiz is assigned to.', { target: 'Choose a class this quiz is assigned to.' });
  } else {
    const enrolled = await membershipsIn(classIds);
    if (!enrolled.some((m) => m.userId === input.targetId))
      throw new ValidationError('Choose a student of a class this quiz is assigned to.', { target: 'Choose a student of a class this quiz is assigned to.' });
  }
  const s = quizSettings(quiz);
  const errors: Record<string, string> = {};
  const due = input.rule.dueAt ?? s.dueAt;
  const closes = input.rule.closesAt ?? s.closesAt;
  if (s.opensAt && input.rule.dueAt && input.rule.dueAt <= s.opensAt) errors.dueAt = 'The due date must come after the quiz opens.';
  if (s.opensAt && input.rule.closesAt && input.rule.closesAt <= s.opensAt) errors.closesAt = 'The closing time must come after the quiz opens.';
  if (due && closes && closes < due) errors.closesAt = 'The closing time cannot come before the due date.';
  if (Object.keys(errors).length) throw new ValidationError('Please correct the override fields marked below.', errors);
  const target = input.target === 'user' ? { userId: oid(input.targetId), classId: null } : { userId: null, classId: oid(input.targetId) };
  await QuizOverride.updateOne({ quizId: quiz._id, ...target }, { $set: { ...input.rule } }, { upsert: true });
}

/** Removes an override of a quiz the caller manages. */
export async function deleteOverride(caller: Caller, quizId: string, overrideId: string): Promise<void> {
  const quiz = await managedQuiz(caller, quizId);
  const res = isObjectId(overrideId) ? await QuizOverride.deleteOne({ _id: oid(overrideId), quizId: quiz._id }) : { deletedCount: 0 };
  if (res.deletedCount === 0) throw new NotFoundError('We could not find that override.');
}
