import { User } from './accounts/model.ts';
import { Invite } from './accounts/invite-model.ts';
import { PasswordReset } from './accounts/reset-model.ts';
import { DeletedUser } from './accounts/deleted-model.ts';
import { Source } from './sources/model.ts';
import { Class, Enrolment } from './classes/model.ts';
import { Bank, Question } from './banks/model.ts';
import { LearnerResponse } from './responses/model.ts';
import { PracticeSession } from './practice/model.ts';
import { StudyCard, ReviewLog, StudyParameters } from './study/model.ts';
import { Quiz, Attempt, QuizOverride, PreviewAttempt } from './quizzes/model.ts';
import { LearnerAggregate } from './aggregates/model.ts';
import { DraftRecord } from './drafts/model.ts';

/**
 * Every Mongoose model of Lectern, named here once. connectDatabase creates the indexes of
 * exactly these, so which indexes exist never depends on which modules happened to be imported
 * before the database was opened. A new model is added here (test/app/app-scope.test.ts checks that
 * none is missing).
 */
export function registeredModels(): ReadonlyArray<{ modelName: string; createIndexes(): Promise<unknown> }> {
  return [
    User,
    Invite,
    PasswordReset,
    DeletedUser,
    Source,
    Class,
    Enrolment,
    Bank,
    Question,
    LearnerResponse,
    PracticeSession,
    StudyCard,
    ReviewLog,
    StudyParameters,
    Quiz,
    Attempt,
    QuizOverride,
    PreviewAttempt,
    LearnerAggregate,
    DraftRecord,
  ];
}
