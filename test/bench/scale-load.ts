// The bulk loader of `npm run bench:scale`: a school's year written straight into a data
// directory (the embedded server in this process, insertMany in batches), with each learner's
// aggregate document folded from the same records, as the writers would have kept it.
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../../server/embedded-mongo/index.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { User } from '../../server/accounts/model.ts';
import { Bank } from '../../server/banks/model.ts';
import { findQuestions } from '../../server/banks/service.ts';
import { Class, Enrolment } from '../../server/classes/model.ts';
import { Quiz, Attempt } from '../../server/quizzes/model.ts';
import { StudyCard, ReviewLog } from '../../server/study/model.ts';
import { LearnerResponse } from '../../server/responses/model.ts';
import { LearnerAggregate } from '../../server/aggregates/model.ts';
import { foldRecords, markBuilt, type AnswerFacts, type ReviewFacts } from '../../server/aggregates/index.ts';
import { presentQuestion } from '../../server/questions/index.ts';

/** A school's year at scale 1 (the figures); `scale` multiplies students and classes. */
export const YEAR = { students: 2000, classes: 40, quizzesPerClass: 200, attemptsPerQuiz: 20, questionsPerQuiz: 5, reviews: 1500, answers: 500 };
const DAY = 86_400_000;
const BATCH = 5_000;

export interface LoadedSchool {
  bankId: string;
  classId: string;
  quizId: string;
  documents: number;
}

/** Deterministic pseudo-random numbers (the same school every run). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export async function loadSchool(dataDir: string, scale: number, progress: (line: string) => void): Promise<LoadedSchool> {
  const db = await startEmbeddedMongo({ dataDir });
  await mongoose.connect(db.uri, { dbName: 'lectern' });
  try {
    return await load(scale, progress);
  } finally {
    await mongoose.disconnect();
    await db.close();
  }
}

async function load(scale: number, say: (line: string) => void): Promise<LoadedSchool> {
  const now = new Date();
  const rnd = random(42);
  await seedDatabase({ demo: true, progress: () => undefined });
  for (const m of [User, Class, Enrolment, Quiz, Attempt, StudyCard, ReviewLog, LearnerResponse]) await m.createIndexes();
  const bank = (await Bank.findOne({ slug: 'sco-policy-brief' }).lean())!;
  const questions = await findQuestions(String(bank._id));
  const instructor = (await User.findOne({ email: DEMO_ACCOUNTS[0]!.email }).lean())!;
  const learner = (await User.findOne({ email: DEMO_ACCOUNTS[1]!.email }).lean())!;
  const nStudents = Math.max(1, Math.round(YEAR.students * scale));
  const nClasses = Math.max(1, Math.round(YEAR.classes * scale));
  let documents = 0;
  const insert = async (model: { collection: mongoose.Collection }, docs: object[]) => {
    for (let i = 0; i < docs.length; i += BATCH) await model.collection.insertMany(docs.slice(i, i + BATCH));
    documents += docs.length;
  };

  // People: the demo instructor owns class 0 and the demo student is its first student.
  const teachers = [instructor._id, ...Array.from({ length: nClasses - 1 }, () => new mongoose.Types.ObjectId())];
  await insert(
    User,
    teachers.slice(1).map((_id, i) => ({ _id, email: `teacher${i}@school.example`, name: `Teacher ${i}`, passwordHash: 'x', role: 'instructor', demo: false })),
  );
  const students = [learner._id, ...Array.from({ length: nStudents - 1 }, () => new mongoose.Types.ObjectId())];
  await insert(
    User,
    students.slice(1).map((_id, i) => ({
      _id,
      email: `student${i}@school.example`,
      name: `Student ${String(i).padStart(4, '0')}`,
      passwordHash: 'x',
      role: 'student',
      demo: false,
    })),
  );
  const classIds = teachers.map(() => new mongoose.Types.ObjectId());
  await insert(
    Class,
    classIds.map((_id, c) => ({
      _id,
      name: `Class ${c + 1}`,
      instructorId: teachers[c],
      joinCode: `SCALE${String(c).padStart(3, '0')}`,
      createdAt: now,
      updatedAt: now,
    })),
  );
  const classOf = (s: number) => s % nClasses;
  await insert(
    Enrolment,
    students.map((userId, s) => ({
      classId: classIds[classOf(s)],
      userId,
      joinedAt: now,
      name: s ? `Student ${s}` : learner.name,
      email: s ? `student${s - 1}@school.example` : learner.email,
    })),
  );
  say(`people: ${nStudents} students in ${nClasses} classes`);

  // Quizzes and attempts, class by class.
  let firstQuiz = '';
  for (let c = 0; c < nClasses; c++) {
    const members = students.filter((_, s) => classOf(s) === c);
    const quizzes: object[] = [];
    const attempts: object[] = [];
    for (let qn = 0; qn < YEAR.quizzesPerClass; qn++) {
      const picked = Array.from({ length: YEAR.questionsPerQuiz }, (_, k) => questions[(qn * YEAR.questionsPerQuiz + k * 3) % questions.length]!);
      const dueAt = new Date(now.getTime() - (YEAR.quizzesPerClass - qn) * DAY);
      const quizId = new mongoose.Types.ObjectId();
      if (!firstQuiz && c === 0 && qn === YEAR.quizzesPerClass - 1) firstQuiz = String(quizId);
      // Through the model, for its defaults, then inserted in bulk with the rest.
      quizzes.push(
        new Quiz({
          _id: quizId,
          title: `Quiz ${qn + 1}`,
          ownerId: teachers[c],
          bankIds: [bank._id],
          selection: { mode: 'pick', questionIds: picked.map((q) => new mongoose.Types.ObjectId(q.id)), rules: [] },
          settings: { dueAt, attemptsAllowed: 1, gradingMethod: 'highest' },
          classIds: [classIds[c]],
          createdAt: now,
          updatedAt: now,
        }).toObject(),
      );
      const slots = picked.map((q) => ({
        questionId: new mongoose.Types.ObjectId(q.id),
        bankId: bank._id,
        key: q.key,
        version: q.version,
        definition: q.definition,
        presentation: presentQuestion(q.definition),
      }));
      for (let k = 0; k < Math.min(YEAR.attemptsPerQuiz, members.length); k++) {
        const userId = members[(qn + k) % members.length];
        const marks: number[] = slots.map(() => (rnd() < 0.7 ? 1 : 0));
        const submittedAt = new Date(dueAt.getTime() - DAY / 2);
        attempts.push({
          quizId,
          userId,
          classId: classIds[c],
          number: 1,
          status: 'submitted',
          startedAt: new Date(submittedAt.getTime() - 600_000),
          deadline: null,
          submittedAt,
          submittedBy: 'student',
          score: marks.reduce((a, b) => a + b, 0) / marks.length,
          marks,
          revision: 5,
          seed: `s${c}-${qn}-${k}`,
          slots: slots.map((slot, i) => ({ ...slot, response: null, savedAt: submittedAt, score: marks[i] })),
          createdAt: submittedAt,
          updatedAt: submittedAt,
        });
      }
    }
    await insert(Quiz, quizzes);
    await insert(Attempt, attempts);
    say(`quizzes and attempts: class ${c + 1}/${nClasses}, ${documents.toLocaleString('en')} documents`);
  }

  // Each student's year of flashcards and practice, and the aggregate those records give.
  const aggregates: object[] = [];
  for (let s = 0; s < nStudents; s++) {
    const userId = students[s]!;
    const cards = questions.map((q, i) => ({
      _id: new mongoose.Types.ObjectId(),
      userId,
      questionId: new mongoose.Types.ObjectId(q.id),
      bankId: bank._id,
      topics: q.definition.topics,
      introducedAt: new Date(now.getTime() - 360 * DAY),
      due: new Date(now.getTime() + ((i % 14) - 3) * DAY),
      stability: 5 + (i % 30),
      difficulty: 5,
      elapsed_days: 3,
      scheduled_days: 5,
      learning_steps: 0,
      reps: 25,
      lapses: 2,
      state: 2,
      last_review: new Date(now.getTime() - ((i % 9) + 1) * DAY),
      suspended: false,
      buriedUntil: null,
      createdAt: now,
      updatedAt: now,
    }));
    const reviews = Array.from({ length: YEAR.reviews }, (_, i) => {
      const card = cards[i % cards.length]!;
      const review = new Date(now.getTime() - DAY - Math.floor((i / YEAR.reviews) * 364 * DAY));
      return {
        _id: new mongoose.Types.ObjectId(),
        userId,
        cardId: card._id,
        questionId: card.questionId,
        bankId: bank._id,
        topics: card.topics,
        rating: 1 + Math.floor(rnd() * 4),
        state: 2,
        due: review,
        stability: 10,
        difficulty: 5,
        elapsed_days: 3,
        last_elapsed_days: 3,
        scheduled_days: 5,
        learning_steps: 0,
        review,
        nextState: 2,
        nextDue: new Date(review.getTime() + 5 * DAY),
        nextStability: 12,
        typedScore: null,
        previous: null,
      };
    });
    const answers = Array.from({ length: YEAR.answers }, (_, i) => {
      const q = questions[(i * 7) % questions.length]!;
      const score = rnd() < 0.65 ? 1 : 0;
      return {
        _id: new mongoose.Types.ObjectId(),
        userId,
        source: 'practice',
        sourceRef: new mongoose.Types.ObjectId(),
        bankId: bank._id,
        questionId: new mongoose.Types.ObjectId(q.id),
        questionKey: q.key,
        questionVersion: 1,
        type: q.definition.type,
        topics: q.definition.topics,
        passageId: q.definition.source.passageId,
        score,
        correct: score === 1,
        answeredAt: new Date(now.getTime() - DAY - Math.floor((i / YEAR.answers) * 360 * DAY)),
      };
    });
    await insert(StudyCard, cards);
    await insert(ReviewLog, reviews);
    await insert(LearnerResponse, answers);
    const reviewFacts: ReviewFacts[] = reviews.map((r) => ({
      id: String(r._id),
      userId: String(userId),
      review: r.review,
      rating: r.rating,
      topics: r.topics,
    }));
    const answerFacts: AnswerFacts[] = answers.map((a) => ({
      id: String(a._id),
      userId: String(userId),
      questionId: String(a.questionId),
      bankId: String(a.bankId),
      passageId: a.passageId,
      topics: a.topics,
      score: a.score,
      correct: a.correct,
      answeredAt: a.answeredAt,
    }));
    aggregates.push({ _id: userId, ...foldRecords(reviewFacts, answerFacts), recent: [], gone: [] });
    if (aggregates.length === 100 || s === nStudents - 1) {
      await insert(LearnerAggregate, aggregates.splice(0));
      say(`students: ${s + 1}/${nStudents}, ${documents.toLocaleString('en')} documents`);
    }
  }
  await markBuilt();
  return { bankId: String(bank._id), classId: String(classIds[0]), quizId: firstQuiz, documents };
}
