// as: server/progress/bad-model-import.ts
import { Attempt } from '../quizzes/model.ts';

export const attempts = Attempt;
