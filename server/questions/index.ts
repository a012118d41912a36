/** The question types as pure code: present, parse a response, grade it, state the key. */
export * from './definition.ts';
export { presentQuestion, presentationOrder, presentInOrder, clozeSegments } from './present-question.ts';
export type {
  PresentedQuestion,
  PresentedItem,
  ClozeSegment,
  PresentationOrder,
  PresentedMcq,
  PresentedMulti,
  PresentedTrueFalse,
  PresentedShort,
  PresentedNumeric,
  PresentedCloze,
  PresentedMatching,
  PresentedOrdering,
  PresentedEssay,
} from './present-question.ts';
export { parseResponse, isBlankResponse, blankResponse, parseNumberText, wordCount, MAX_ANSWER_LENGTH } from './parse-response.ts';
export type {
  QuestionResponse,
  ParseResponseResult,
  ParseResponseOptions,
  McqResponse,
  MultiResponse,
  TrueFalseResponse,
  ShortResponse,
  NumericResponse,
  ClozeResponse,
  MatchingResponse,
  OrderingResponse,
  EssayResponse,
} from './parse-response.ts';
export { gradeResponse } from './grade-response.ts';
export type { GradeResult, GradedPart } from './grade-response.ts';
export { answerKeyText, responseText } from './answer-key.ts';
export { normaliseAnswer, matchAcceptedAnswer, editDistance, TYPO_MIN_LETTERS } from './normalise-answer.ts';
export type { AnswerMatch } from './normalise-answer.ts';
export { opaqueId } from './opaque-id.ts';
