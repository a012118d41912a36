import { authorStanding, type Caller } from '../accounts/index.ts';

/**
 * Whether the caller may change a quiz and read its results and statistics: its owner while
 * they still hold an authoring role (read per request), or an admin.
 */
export function canManageQuiz(caller: Pick<Caller, 'id' | 'role'>, quiz: { ownerId?: unknown }): boolean {
  return authorStanding(caller, quiz.ownerId) === 'manages';
}
