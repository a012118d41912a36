// as: server/study/bad-response-model-import.ts
import { LearnerResponse } from '../responses/response-model.ts';

export const responses = LearnerResponse;
