import { GiftSyntaxError, answerText, findUnescaped, unescapeGift } from './escape.ts';
import { splitAnswers, creditOf } from './answers.ts';

/** A numeric question's body as GIFT gives it: a full-marks range, further ranges, a catch-all. */
export interface NumericSpec {
  answer: number;
  tolerance: number;
  feedback?: string;
  alternatives: { answer: number; tolerance: number; credit: number; feedback?: string }[];
  otherwise?: string;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** `3:2`, `1..5` or `3` as a value and a tolerance (a range becomes its midpoint ± half-width). */
function readRange(raw: string, at: number): { answer: number; tolerance: number } {
  const spec = unescapeGift(raw).trim();
  const num = (s: string): number => {
    const t = s.trim();
    if (t === '') throw new GiftSyntaxError(at, 'a numeric answer is empty: write it as 3, 3:0.5 or 2.5..3.5');
    if (!NUMBER.test(t)) throw new GiftSyntaxError(at, `"${t}" is not a number (a numeric answer is 3, 3:0.5 or 2.5..3.5)`);
    return Number(t);
  };
  const range = /^(.+?)\.\.(.+)$/.exec(spec);
  if (range) {
    const lo = num(range[1]!);
    const hi = num(range[2]!);
    if (hi < lo) throw new GiftSyntaxError(at, `the range ${lo}..${hi} runs backwards: write the smaller number first`);
    // Rounded to 12 digits: 3.141..3.142 is 3.1415 ± 0.0005, not 3.1414999999999997.
    const round = (x: number) => Number(x.toPrecision(12));
    return { answer: round((lo + hi) / 2), tolerance: round((hi - lo) / 2) };
  }
  const colon = spec.lastIndexOf(':');
  if (colon > 0) return { answer: num(spec.slice(0, colon)), tolerance: Math.abs(num(spec.slice(colon + 1))) };
  return { answer: num(spec), tolerance: 0 };
}

/**
 * Reads what follows `{#`: one answer (`3:2`, `1..5`, each with `#feedback`), or several
 * `=%w%answer#feedback` (Moodle's exporter writes even one this way, a line each), and at most one
 * catch-all `~#feedback` for every other number.
 */
export function parseNumeric(content: string, base: number): NumericSpec {
  let spec = content;
  let otherwise: string | undefined;
  const tilde = findUnescaped(spec, '~');
  if (tilde >= 0) {
    const rest = spec.slice(tilde + 1);
    if (findUnescaped(rest, '~') >= 0) throw new GiftSyntaxError(base + tilde, 'a numeric question has one catch-all "~#feedback" at most');
    if (findUnescaped(rest, '=') >= 0) throw new GiftSyntaxError(base + tilde, 'the catch-all "~#feedback" comes after every "=" answer');
    const hash = findUnescaped(rest, '#');
    const before = hash >= 0 ? rest.slice(0, hash) : rest;
    if (before.trim() !== '' && before.trim() !== '*') {
      throw new GiftSyntaxError(base + tilde, `a numeric "~" is the catch-all for every other number: "~#feedback", not "~${before.trim()}"`);
    }
    otherwise = hash >= 0 ? answerText(rest.slice(hash + 1)) || undefined : undefined;
    spec = spec.slice(0, tilde);
  }
  type Ranged = { answer: number; tolerance: number; credit: number; feedback?: string };
  let ranges: Ranged[];
  if (findUnescaped(spec, '=') >= 0) {
    const answers = splitAnswers(spec, base);
    ranges = answers.map((a) => {
      const credit = creditOf(a);
      if (credit < 0) throw new GiftSyntaxError(a.offset, 'a negative weight on a numeric answer: use %0% for a known wrong answer');
      return { ...readRange(a.text, a.offset), credit, ...(a.feedback ? { feedback: a.feedback } : {}) };
    });
  } else {
    const hash = findUnescaped(spec, '#');
    const feedback = hash >= 0 ? answerText(spec.slice(hash + 1)) : '';
    ranges = [{ ...readRange(hash >= 0 ? spec.slice(0, hash) : spec, base), credit: 1, ...(feedback ? { feedback } : {}) }];
  }
  const full = ranges.findIndex((r) => r.credit === 1);
  if (full < 0) throw new GiftSyntaxError(base, 'no numeric answer earns full marks: give one answer without a weight, or with %100%');
  const main = ranges[full]!;
  const alternatives = ranges.filter((_, i) => i !== full);
  return {
    answer: main.answer,
    tolerance: main.tolerance,
    ...(main.feedback ? { feedback: main.feedback } : {}),
    alternatives,
    ...(otherwise ? { otherwise } : {}),
  };
}
