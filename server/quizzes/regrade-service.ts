import type { Types } from 'mongoose';
import { createHash } from 'node:crypto';
import { Attempt, type AttemptDoc, type RegradeRecord } from './model.ts';
import { questionsByIds } from '../banks/index.ts';
import { usersByIds, type Caller } from '../accounts/index.ts';
import { ConflictError } from '../http/errors.ts';
import { getOwnQuiz, finalizeExpired } from './service.ts';
import { gradeChanges, planAttemptRegrade, planFingerprint, type AttemptPlan, type CurrentQuestion, type RegradableAttempt } from './regrade.ts';
import { toObjectId as oid } from '../object-ids.ts';

/** One changed mark of a regrade, as the dry run lists it. */
export interface RegradeRow {
  attemptId: string;
  studentName: string;
  number: number;
  slot: number;
  key: string;
  fromVersion: number;
  toVersion: number;
  before: number | null;
  after: number | null;
}

/** What a regrade of a quiz changes (the dry run), or changed (once applied). */
export interface RegradeReport {
  quizId: string;
  quizTitle: string;
  /** Submitted attempts read. */
  attemptsChecked: number;
  /** Attempts still open: they are graded with the version they froze, and can be regraded once submitted. */
  inProgress: number;
  /** Attempts with a question at an older version (each moves to the newer one, marks changed or not). */
  attemptsMoved: number;
  /** Every mark that changes. */
  marks: RegradeRow[];
  /** Every attempt score that changes. */
  scores: { attemptId: string; studentName: string; number: number; before: number | null; after: number | null }[];
  /** Every student grade (by the grading method) that changes. */
  grades: { studentName: string; before: number | null; after: number | null }[];
  /** Names this exact plan: applying refuses a plan that changed since the dry run. */
  fingerprint: string;
}

const asRegradable = (a: AttemptDoc): RegradableAttempt => ({
  id: String(a._id),
  userId: String(a.userId),
  number: a.number,
  revision: a.revision ?? null,
  score: a.score ?? null,
  slots: a.slots.map((s) => ({ ...s, questionId: String(s.questionId) })),
});

/** The submitted attempts of a quiz and the plan that regrades them against the banks' current versions. */
async function planFor(quizId: string) {
  const docs = await Attempt.find({ quizId: oid(quizId), status: 'submitted' })
    .sort({ number: 1 })
    .lean<AttemptDoc[]>();
  const attempts = docs.map(asRegradable);
  const stored = await questionsByIds([...new Set(attempts.flatMap((a) => a.slots.map((s) => s.questionId)))]);
  const current = new Map<string, CurrentQuestion>([...stored].map(([id, q]) => [id, { version: q.version, definition: q.definition }]));
  const plans = attempts.map((a) => planAttemptRegrade(a, current)).filter((p): p is AttemptPlan => p !== null);
  const inProgress = await Attempt.countDocuments({ quizId: oid(quizId), status: 'in-progress' });
  return { attempts, current, plans, inProgress };
}

async function report(
  quiz: { id: string; title: string; settings: { gradingMethod: Parameters<typeof gradeChanges>[2] } },
  attempts: RegradableAttempt[],
  plans: AttemptPlan[],
  inProgress: number,
): Promise<RegradeReport> {
  const names = await usersByIds(plans.map((p) => p.userId));
  const nameOf = (id: string) => names.get(id)?.name ?? 'A former student';
  return {
    quizId: quiz.id,
    quizTitle: quiz.title,
    attemptsChecked: attempts.length,
    inProgress,
    attemptsMoved: plans.length,
    marks: plans.flatMap((p) =>
      p.changes.filter((c) => c.before !== c.after).map((c) => ({ attemptId: p.attemptId, studentName: nameOf(p.userId), number: p.number, ...c })),
    ),
    scores: plans
      .filter((p) => p.scoreBefore !== p.scoreAfter)
      .map((p) => ({ attemptId: p.attemptId, studentName: nameOf(p.userId), number: p.number, before: p.scoreBefore, after: p.scoreAfter })),
    grades: gradeChanges(attempts, plans, quiz.settings.gradingMethod).map((g) => ({ studentName: nameOf(g.userId), before: g.before, after: g.after })),
    fingerprint: createHash('sha256').update(planFingerprint(plans)).digest('hex').slice(0, 32),
  };
}

/** The dry run: what regrading the caller's quiz would change. Writes nothing (only the owner; 404 for anyone else). */
export async function regradeDryRun(caller: Caller, quizId: string, now: Date): Promise<RegradeReport> {
  const quiz = await getOwnQuiz(caller, quizId);
  await finalizeExpired({ quizId: oid(quiz.id) }, now);
  const { attempts, plans, inProgress } = await planFor(quiz.id);
  return report(quiz, attempts, plans, inProgress);
}

const APPLY_ROUNDS = 5;

/**
 * Applies the regrade the dry run showed (`fingerprint`; 409 when the plan changed since): one
 * guarded write per attempt (`revision` unchanged since it was read, bumped by the write),
 * recording who, when and which versions. Applying twice changes nothing the second time:
 * the slots are at the current versions by then.
 */
export async function applyRegrade(caller: Caller, quizId: string, fingerprint: string, now: Date): Promise<RegradeReport> {
  const quiz = await getOwnQuiz(caller, quizId);
  await finalizeExpired({ quizId: oid(quiz.id) }, now);
  let { attempts, plans, inProgress } = await planFor(quiz.id);
  const shown = await report(quiz, attempts, plans, inProgress);
  if (shown.fingerprint !== fingerprint)
    throw new ConflictError('The attempts or questions changed after the dry run was shown. Check the regrade again before applying it.');
  for (let round = 0; round < APPLY_ROUNDS && plans.length; round++) {
    const lost: AttemptPlan[] = [];
    for (const p of plans) if (!(await writePlan(p, caller, now))) lost.push(p);
    if (!lost.length) return shown;
    // An essay was marked meanwhile: plan those attempts again from what they hold now.
    ({ attempts, plans, inProgress } = await planFor(quiz.id));
    plans = plans.filter((p) => lost.some((l) => l.attemptId === p.attemptId));
  }
  if (plans.length) throw new ConflictError('Some attempts kept changing while they were regraded. Please try again.');
  return shown;
}

/** A regrade as this service writes it. */
interface RegradeWrite {
  at: Date;
  by: Types.ObjectId;
  changes: AttemptPlan['changes'];
  scoreBefore: number | null;
  scoreAfter: number | null;
}
/** The fields of a stored attempt the regrade's update reads and writes (one stored before revisions has none). */
interface StoredAttempt {
  _id: Types.ObjectId;
  status: AttemptDoc['status'];
  revision?: number | null;
  regrades?: RegradeWrite[];
}

/** Writes one attempt's regrade if it is as it was read; false when it changed meanwhile. */
async function writePlan(p: AttemptPlan, caller: Caller, now: Date): Promise<boolean> {
  const set: Record<string, unknown> = { marks: p.marks, score: p.scoreAfter, needsGrading: p.needsGrading };
  for (const s of p.slots) {
    set[`slots.${s.index}.version`] = s.version;
    set[`slots.${s.index}.definition`] = s.definition;
    set[`slots.${s.index}.presentation`] = s.presentation;
    set[`slots.${s.index}.score`] = s.score;
  }
  const record: RegradeWrite = { at: now, by: oid(caller.id), changes: p.changes, scoreBefore: p.scoreBefore, scoreAfter: p.scoreAfter };
  // The driver's own update (no Mongoose casting or hooks), typed with what an attempt stores.
  const res = await Attempt.db
    .collection<StoredAttempt>(Attempt.collection.name)
    .updateOne({ _id: oid(p.attemptId), status: 'submitted', revision: p.revision ?? null }, { $set: set, $push: { regrades: record }, $inc: { revision: 1 } });
  return res.matchedCount === 1;
}

/** A regrade as an attempt's review shows it. */
export interface RegradeNote {
  at: Date;
  byName: string;
  changes: { slot: number; fromVersion: number; toVersion: number; before: number | null; after: number | null }[];
  /** The attempt's score before and after, when the review shows scores. */
  scoreBefore: number | null;
  scoreAfter: number | null;
}

/** The regrades of an attempt, with who applied each. */
export async function regradeNotes(records: readonly RegradeRecord[], showScore: boolean): Promise<RegradeNote[]> {
  if (!records.length) return [];
  const names = await usersByIds(records.map((r) => String(r.by)));
  return records.map((r) => ({
    at: r.at,
    byName: names.get(String(r.by))?.name ?? 'An instructor',
    changes: (r.changes ?? []).map((c) => ({
      slot: c.slot ?? 0,
      fromVersion: c.fromVersion ?? 0,
      toVersion: c.toVersion ?? 0,
      before: showScore ? (c.before ?? null) : null,
      after: showScore ? (c.after ?? null) : null,
    })),
    scoreBefore: showScore ? (r.scoreBefore ?? null) : null,
    scoreAfter: showScore ? (r.scoreAfter ?? null) : null,
  }));
}
