// as: server/http/bad-feature-import.ts
import { listBanks } from '../banks/index.ts';

export const banks = listBanks;
