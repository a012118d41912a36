/** The learner-response log: every graded answer from practice, study and quizzes, and its read models. */
export { recordResponse, withdrawStudyResponse, type GradedAnswer } from './record.ts';
export { answeringLearners, answerFactsOf, countResponsesSince, pastResponses, type PastResponse } from './queries.ts';
export { RESPONSE_SOURCES, type ResponseSource } from './model.ts';
