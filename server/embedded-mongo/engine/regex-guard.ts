import v8 from 'node:v8';
import { CommandError } from '../errors.ts';

// Regular expressions run on V8's backtracking engine, where `(a+)+$` on a long string takes
// exponential time on the database thread. This flag makes V8 switch a regex that backtracks
// too much to its linear-time engine (V8's own, shipped since 8.8), which gives the same
// answers. That engine cannot run case-insensitive or Unicode-mode patterns, lookarounds or
// backreferences: those keep backtracking, so refusedRegex turns away their exponential shapes.
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** mongod's code for a pattern its regex engine refuses ("Regular expression is invalid"). */
export const INVALID_REGEX = 51091;

const LINEAR_FLAGS = /^[gmsy]*$/;
const LOOKAROUND_OR_BACKREFERENCE = /\(\?<?[=!]|\\[1-9]|\\k</;

/**
 * Whether a pattern repeats a group that itself repeats or alternates (`(a+)+`, `(a|ab)*`,
 * `(x{2,})+`): the shape whose backtracking grows exponentially with the input.
 */
export function hasNestedRepetition(source: string): boolean {
  const groups: boolean[] = [];
  let inner = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // A character class is one atom; skip to its closing bracket.
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      continue;
    }
    if (c === '(') {
      groups.push(inner);
      inner = false;
    } else if (c === '|') {
      inner = true;
    } else if (c === ')') {
      const repeats: boolean = inner;
      inner = (groups.pop() ?? false) || repeats;
      if (repeats && repeatsAt(source, i + 1)) return true;
    } else if (repeatsAt(source, i)) {
      inner = true;
    }
  }
  return false;
}

/** Whether a quantifier that can repeat (`*`, `+`, `{n,}`, `{n,m}` with m > 1) starts at `i`. */
function repeatsAt(source: string, i: number): boolean {
  const c = source[i];
  if (c === '*' || c === '+') return true;
  if (c !== '{') return false;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!m) return false;
  return m[2] !== undefined && (m[3] === '' || Number(m[3]) > 1);
}

/**
 * Refuses (51091) a pattern that could take exponential time: one with nested repetition that
 * V8's linear engine cannot take over (options i or u, lookarounds, backreferences).
 */
export function assertBoundedRegex(source: string, flags: string): void {
  if (LINEAR_FLAGS.test(flags) && !LOOKAROUND_OR_BACKREFERENCE.test(source)) return;
  if (!hasNestedRepetition(source)) return;
  throw new CommandError(
    INVALID_REGEX,
    `Regular expression is invalid: /${source}/${flags} repeats a group that itself repeats, which with ${flags.replace(/[gmsy]/g, '') ? `option(s) '${flags.replace(/[gmsy]/g, '')}'` : 'lookarounds or backreferences'} can take exponential time; the embedded server refuses it (write it without the nested repetition)`,
  );
}
