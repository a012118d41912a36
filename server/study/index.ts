/** Flashcards scheduled with FSRS: what other features may ask of them. */
export { dueCardCount } from './service.ts';
export { startOfStudyDay } from './schedule.ts';
export { cardsForRecall, reviewFactsOf, reviewingLearners, type CardRecallInput } from './reads.ts';
