// as: server/progress/good-import.ts
import type { Caller } from '../accounts/index.ts';
import { quizSettings } from '../quizzes/index.ts';
import { helper } from './own-model-helper.ts';
import { Progress } from './model.ts';

export const ok: unknown[] = [quizSettings, helper, Progress, null as Caller | null];
