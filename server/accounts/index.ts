/** Accounts: users, roles, sign-in. Other features name users and check roles through here. */
export { ROLES, canAuthor, authorStanding, NO_LONGER_AUTHOR, type AuthorStanding, type Role, type Caller, DEFAULT_DAY_START_HOUR } from './roles.ts';
export { usersByIds, type UserName } from './directory.ts';
export { toCaller, findCaller } from './service.ts';
export { issueResetLinks, resetPath, type ResetLink } from './resets.ts';
export { accountsByEmail, createStudentAccounts, roleOf, type AccountByEmail } from './bulk-accounts.ts';
export { linkBase } from './links.ts';
export { nameSchema, emailSchema } from './schemas.ts';
