/** Banks and their questions: what other features may ask of them. */
export {
  bankSourceIds,
  bankTopicsOf,
  canEditBank,
  questionSourceId,
  mayStudyBank,
  findBank,
  findQuestions,
  getStudyableBank,
  listBanks,
  liveQuestionOutlines,
  questionsByIds,
  storedQuestion,
  quizStudentsMayPractise,
  studentsMayPractise,
  type BankRef,
  type BankSummary,
  type QuestionFilter,
  type QuestionOutline,
  type StoredQuestion,
} from './service.ts';
export {
  buildableBanks,
  countLiveQuestions,
  liveQuestionIds,
  questionTopics,
  questionPlaces,
  questionsCollectionName,
  questionsForStatistics,
  shippedSourceId,
  sourceOfBanks,
  type QuestionForStatistics,
  type QuestionPlace,
} from './reads.ts';
export type { BankDoc, QuestionDoc } from './model.ts';
export { mergeTopicLists, topicLabel, topicLabels, topicsProblem, type BankTopic } from './topics.ts';
export { giveBanksTopics } from './topics-service.ts';
// What the drafts queue (issue 16) needs to turn an accepted draft into a question of a bank.
export { getEditableBank } from './service.ts';
export { createQuestion, passageOptions } from './editor-service.ts';
export { changeBankTopics } from './topics-service.ts';
export { definitionToForm, readQuestionForm, type QuestionFormValues } from './question-form.ts';
export { questionFormVocab } from './question-form-view.ts';
