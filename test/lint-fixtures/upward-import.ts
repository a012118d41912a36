// as: server/accounts/bad-upward-import.ts
import { renameMember } from '../classes/index.ts';

export const rename = renameMember;
