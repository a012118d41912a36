import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another when read aloud or off a board (no 0/O, 1/I/L). */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 8;

/** A fresh join code, e.g. "K7QM-2XPA" stored as "K7QM2XPA"; `pick(n)` returns 0..n-1 (crypto by default). */
export function generateJoinCode(pick: (n: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[pick(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** Reads a code as people type it: any case, with spaces or dashes; null when it cannot be a code. */
export function normaliseJoinCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]+/g, '');
  if (code.length !== JOIN_CODE_LENGTH) return null;
  for (const ch of code) if (!JOIN_CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/** A code as shown to people: two groups of four. */
export function formatJoinCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
