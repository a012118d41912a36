import { LearnerResponse, type ResponseSource } from './model.ts';
import type { QuestionDefinition } from '../questions/index.ts';
import { toObjectId as oid } from '../object-ids.ts';
import { noteAnswer, withdrawAnswer, type AnswerFacts } from '../aggregates/index.ts';
import type { LearnerResponseDoc } from './model.ts';

/** One graded answer, as practice, study or a quiz hands it to the log. */
export interface GradedAnswer {
  userId: string;
  source: ResponseSource;
  /** The practice session, study card or attempt the answer was given in. */
  sourceRef: string;
  bankId: string;
  question: { id: string; key: string; version: number; definition: QuestionDefinition };
  score: number;
  correct: boolean;
  answeredAt: Date;
}

/** Appends a graded answer to the learner-response log (the one writer of that log). */
export async function recordResponse(answer: GradedAnswer): Promise<void> {
  const { question } = answer;
  const doc = await LearnerResponse.create({
    userId: oid(answer.userId),
    source: answer.source,
    sourceRef: oid(answer.sourceRef),
    bankId: oid(answer.bankId),
    questionId: oid(question.id),
    questionKey: question.key,
    questionVersion: question.version,
    type: question.definition.type,
    topics: question.definition.topics,
    passageId: question.definition.source.passageId,
    score: answer.score,
    correct: answer.correct,
    answeredAt: answer.answeredAt,
  });
  await noteAnswer(answerFacts(doc));
}

/** What the learner aggregates count of an answer. */
export function answerFacts(
  r: Pick<LearnerResponseDoc, '_id' | 'userId' | 'questionId' | 'bankId' | 'passageId' | 'topics' | 'score' | 'correct' | 'answeredAt'>,
): AnswerFacts {
  return {
    id: String(r._id),
    userId: String(r.userId),
    questionId: String(r.questionId),
    bankId: String(r.bankId),
    passageId: r.passageId,
    topics: r.topics ?? [],
    score: r.score,
    correct: r.correct,
    answeredAt: r.answeredAt,
  };
}

/** Removes the answer a study rating logged when that rating is undone (the card and time identify it). */
export async function withdrawStudyResponse(userId: string, cardId: string, answeredAt: Date): Promise<void> {
  const gone = await LearnerResponse.findOneAndDelete({ userId: oid(userId), source: 'study', sourceRef: oid(cardId), answeredAt }).lean<LearnerResponseDoc>();
  if (gone) await withdrawAnswer(answerFacts(gone), () => latestAnswer(userId, String(gone.questionId)));
}

/** The learner's latest answer to a question (the aggregates' tie-break: time, then id). */
async function latestAnswer(userId: string, questionId: string): Promise<AnswerFacts | null> {
  const r = await LearnerResponse.findOne({ userId: oid(userId), questionId: oid(questionId) })
    .sort({ answeredAt: -1, _id: -1 })
    .lean<LearnerResponseDoc>();
  return r ? answerFacts(r) : null;
}
