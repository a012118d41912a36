// as: server/http/good-type-import.ts
import type { Caller } from '../accounts/index.ts';

export const nobody: Caller | null = null;
