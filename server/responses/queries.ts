import { LearnerResponse, type LearnerResponseDoc, type ResponseSource } from './model.ts';
import type { AnswerFacts } from '../aggregates/index.ts';
import { answerFacts } from './record.ts';
import { toObjectId as oid } from '../object-ids.ts';

/** A past answer, as "retry what I missed" and "weakest topics" read it. */
export interface PastResponse {
  questionId: string;
  topics: string[];
  score: number;
  answeredAt: Date;
}

/** How many answers from one source the learner has stored since `since` (quotas). */
export function countResponsesSince(userId: string, source: ResponseSource, since: Date): Promise<number> {
  return LearnerResponse.countDocuments({ userId: oid(userId), answeredAt: { $gte: since }, source });
}

/** The learner's past answers from one source in a bank, oldest first. */
export async function pastResponses(userId: string, bankId: string, source: ResponseSource): Promise<PastResponse[]> {
  const rows = await LearnerResponse.find({ userId: oid(userId), bankId: oid(bankId), source }, { questionId: 1, topics: 1, score: 1, answeredAt: 1 })
    .sort({ answeredAt: 1 })
    .lean();
  return rows.map((r) => ({ questionId: String(r.questionId), topics: r.topics ?? [], score: r.score, answeredAt: r.answeredAt }));
}

/** The learners with any answer (the aggregates' migration). */
export async function answeringLearners(): Promise<string[]> {
  return (await LearnerResponse.distinct('userId')).map(String);
}

/** Every answer of a learner, as the aggregates count it. */
export async function answerFactsOf(userId: string): Promise<AnswerFacts[]> {
  const rows = await LearnerResponse.find(
    { userId: oid(userId) },
    { userId: 1, questionId: 1, bankId: 1, passageId: 1, topics: 1, score: 1, correct: 1, answeredAt: 1 },
  ).lean<LearnerResponseDoc[]>();
  return rows.map(answerFacts);
}
