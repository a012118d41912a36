import type mongoose from 'mongoose';
import { LRUCache } from 'lru-cache';
import { currentScope, scopePart } from '../app-scope.ts';
import { Quiz, Attempt, PreviewAttempt, storeOf, type QuizDoc, type AttemptDoc } from './model.ts';
import type { Caller } from '../accounts/index.ts';
import { parseResponse, isBlankResponse, type QuestionDefinition, type QuestionResponse, type PresentedQuestion } from '../questions/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import { GRACE_MS, isExpired, takesAnswers } from './attempt-state.ts';
import { finalize, type AttemptStore } from './service.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';

// Taking an attempt: the page's view of it, saving answers (the hot path) and submitting.

/** One slot as the attempt page shows it: the frozen presentation and the saved response, never the definition. */
export interface SlotView {
  number: number;
  presentation: PresentedQuestion;
  response: QuestionResponse | null;
  answered: boolean;
  savedAt: Date | null;
}

/** An attempt in progress as the student taking it sees it. */
export interface TakingView {
  id: string;
  quizId: string;
  quizTitle: string;
  number: number;
  deadline: Date | null;
  slots: SlotView[];
  /** An instructor's preview: nothing of it is recorded. */
  preview: boolean;
}

/** The caller's own attempt, submitted first if its time ran out; 404 for anyone else's. */
async function ownAttempt(caller: Caller, attemptId: string, now: Date, projection?: Record<string, unknown>): Promise<AttemptDoc> {
  const filter = isObjectId(attemptId) ? { _id: oid(attemptId), userId: oid(caller.id) } : null;
  const withFlag = projection ? { ...projection, preview: 1 } : undefined;
  const a = filter
    ? ((await Attempt.findOne(filter, withFlag).lean<AttemptDoc>()) ?? (await PreviewAttempt.findOne(filter, withFlag).lean<AttemptDoc>()))
    : null;
  if (!a) throw new NotFoundError('We could not find that attempt.');
  return isExpired(a, now) ? finalize(storeOf(a), a._id, now, 'deadline') : a;
}

/** The caller's attempt to take: `{ submitted: true }` when it is already submitted (by them or by the clock). */
export async function getAttemptForTaking(
  caller: Caller,
  attemptId: string,
  now: Date,
): Promise<{ submitted: true; submittedBy: string | null } | { submitted: false; view: TakingView }> {
  const a = await ownAttempt(caller, attemptId, now);
  if (a.status === 'submitted') return { submitted: true, submittedBy: a.submittedBy ?? null };
  const quiz = await Quiz.findById(a.quizId, { title: 1 }).lean<QuizDoc>();
  return {
    submitted: false,
    view: {
      id: String(a._id),
      quizId: String(a.quizId),
      quizTitle: quiz?.title ?? 'Quiz',
      number: a.number,
      deadline: a.deadline ?? null,
      preview: a.preview === true,
      slots: a.slots.map((s, i) => ({
        number: i + 1,
        presentation: s.presentation,
        response: s.response ?? null,
        answered: s.response ? !isBlankResponse(s.response) : false,
        savedAt: s.savedAt ?? null,
      })),
    },
  };
}

/**
 * The question definitions frozen into attempt slots, by attempt and slot, with the attempt's
 * owner. A slot's definition never changes once drawn, so a copy is always current, in any
 * process; what can change (status, deadline, owner) is checked by the write itself.
 */
export const FROZEN_SLOTS = scopePart(
  'frozen attempt slots',
  () => new LRUCache<string, { userId: string; preview: boolean; definition: QuestionDefinition }>({ max: 10_000 }),
);

/**
 * Saves the answer to one slot (1-based) of the caller's attempt, as one atomic update of that
 * slot only, so two tabs saving different questions both keep theirs. Refused (409) once the
 * attempt is submitted or past its deadline and grace; bad input is a 400.
 *
 * Saving is the hot path of a class taking a quiz: with the slot's definition known, it is one
 * guarded write; anything unusual (first save of the slot in this process, an unreadable
 * answer, a write that matched nothing) takes the path that reads the attempt and says
 * exactly what is wrong.
 */
export async function saveAnswer(caller: Caller, attemptId: string, slot: number, raw: unknown, now: Date): Promise<{ savedAt: Date }> {
  const frozenSlots = currentScope().get(FROZEN_SLOTS);
  const frozen = frozenSlots.get(`${attemptId}:${slot}`);
  if (frozen && frozen.userId === caller.id) {
    const parsed = parseResponse(frozen.definition, raw);
    const store = frozen.preview ? PreviewAttempt : Attempt;
    if (parsed.ok && (await writeAnswer(store, caller, oid(attemptId), slot, parsed.response, now)).matchedCount === 1) return { savedAt: now };
  }
  const a = await ownAttempt(caller, attemptId, now, { status: 1, deadline: 1, submittedBy: 1, startedAt: 1, slots: { $slice: [slot - 1, 1] } });
  if (a.status === 'submitted') {
    throw new ConflictError(
      a.submittedBy === 'deadline'
        ? 'Time is up: this attempt was submitted with the answers saved before the deadline.'
        : 'This attempt has been submitted; answers can no longer change.',
    );
  }
  const s = a.slots[0];
  if (!s) throw new NotFoundError('This attempt has no such question.');
  const definition = s.definition;
  frozenSlots.set(`${attemptId}:${slot}`, { userId: caller.id, preview: a.preview === true, definition });
  const parsed = parseResponse(definition, raw);
  if (!parsed.ok) throw new ValidationError(`Your answer could not be saved: ${parsed.error}.`, { response: parsed.error });
  const res = await writeAnswer(storeOf(a), caller, a._id, slot, parsed.response, now);
  if (res.modifiedCount === 0 && res.matchedCount === 0) {
    // Submitted by another tab, or the deadline passed between the read and the write.
    if (!takesAnswers(a.deadline ?? null, now)) {
      await finalize(storeOf(a), a._id, now, 'deadline');
      throw new ConflictError('Time is up: this attempt was submitted with the answers saved before the deadline.');
    }
    throw new ConflictError('This attempt has been submitted; answers can no longer change.');
  }
  return { savedAt: now };
}

/** Writes one slot's answer, only into the caller's attempt while it still takes answers. */
function writeAnswer(store: AttemptStore, caller: Caller, attemptId: mongoose.Types.ObjectId, slot: number, response: QuestionResponse, now: Date) {
  const i = slot - 1;
  // The driver's own updateOne: every value here already has its stored type, so Mongoose's
  // casting (a tenth of a save's time under load) has nothing to do.
  return store.collection.updateOne(
    {
      _id: attemptId,
      userId: oid(caller.id),
      status: 'in-progress',
      $or: [{ deadline: null }, { deadline: { $gte: new Date(now.getTime() - GRACE_MS) } }],
      // A slot that exists: the cached path must not create one past the end.
      [`slots.${i}`]: { $exists: true },
    },
    { $set: { [`slots.${i}.response`]: response, [`slots.${i}.savedAt`]: now }, $inc: { revision: 1 } },
  );
}

/** Submits the caller's attempt; submitting twice grades once (the second just returns the result). */
export async function submitAttempt(caller: Caller, attemptId: string, now: Date): Promise<{ attemptId: string; alreadySubmitted: boolean }> {
  const a = await ownAttempt(caller, attemptId, now);
  if (a.status === 'submitted') return { attemptId: String(a._id), alreadySubmitted: true };
  const done = await finalize(storeOf(a), a._id, now, 'student');
  // Another request may have submitted between our read and our write.
  return { attemptId: String(done._id), alreadySubmitted: done.submittedAt?.getTime() !== now.getTime() || done.submittedBy !== 'student' };
}
