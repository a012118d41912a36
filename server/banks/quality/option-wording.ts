import type { QuestionDefinition } from '../../questions/definition.ts';
import { contentStems, longestSharedRun } from './text.ts';
import { sourceTextOf } from './answers.ts';
import { questionFlag, type QuestionDetector } from './types.ts';

type Choice = { id: string; text: string };

function options(q: QuestionDefinition): { keys: Choice[]; others: Choice[] } | null {
  if (q.type === 'mcq') return { keys: q.choices.filter((c) => c.id === q.answer), others: q.choices.filter((c) => c.id !== q.answer) };
  if (q.type === 'multi') return { keys: q.choices.filter((c) => q.answers.includes(c.id)), others: q.choices.filter((c) => !q.answers.includes(c.id)) };
  return null;
}

const ABOVE =
  /^\s*(?:all|none|both|neither)\s+of\s+(?:the\s+)?(?:above|these|those|them)\b|^\s*(?:all|none)\s+of\s+the\s+(?:other\s+)?(?:answers|options|choices)\b/i;

/** Error: "all/none of the above" — choices are shuffled, and such an option is guessable on its own. */
export const allNoneOfTheAbove: QuestionDetector = (q) => {
  const opts = options(q);
  const hit = opts && [...opts.keys, ...opts.others].find((c) => ABOVE.test(c.text));
  return hit
    ? [questionFlag(q, 'all-none-above', 'error', `"${hit.text}" is an option: choices are shuffled, and such an option is answered by elimination.`)]
    : [];
};

/** A copy this long (in words) of the source, in the key alone, sounds like the paper. */
const VERBATIM_RUN = 4;
/** …and it must copy at least this many words more than any distractor does. */
const VERBATIM_MARGIN = 3;

/** Warning: the key copies a run of the source word for word while the distractors paraphrase. */
export const verbatimKey: QuestionDetector = (q, ctx) => {
  const opts = options(q);
  if (!opts || !opts.others.length) return [];
  const source = sourceTextOf(q, ctx.passages);
  const keyRun = Math.max(...opts.keys.map((c) => longestSharedRun(c.text, source)));
  const otherRun = Math.max(...opts.others.map((c) => longestSharedRun(c.text, source)));
  if (keyRun >= VERBATIM_RUN && keyRun >= otherRun + VERBATIM_MARGIN) {
    return [
      questionFlag(
        q,
        'verbatim-key',
        'warning',
        `The key copies ${keyRun} words of the source verbatim, the other options at most ${otherRun}: "sounds like the paper" gives it away.`,
      ),
    ];
  }
  return [];
};

/** Warning: the key shares a word with the prompt that no other option has. */
export const promptEcho: QuestionDetector = (q) => {
  const opts = options(q);
  if (!opts || !opts.others.length) return [];
  const prompt = contentStems(q.prompt);
  const echo = (c: Choice) => [...contentStems(c.text)].filter((s) => prompt.has(s));
  const otherEcho = new Set(opts.others.flatMap(echo));
  const keyEchoes = opts.keys.map((c) => echo(c).filter((s) => !otherEcho.has(s)));
  // For several right choices, a cue only when every one of them echoes the prompt.
  if (keyEchoes.length && keyEchoes.every((e) => e.length > 0)) {
    const shared = [...new Set(keyEchoes.flat())].slice(0, 3).join('", "');
    return [questionFlag(q, 'prompt-echo', 'warning', `The key repeats "${shared}" from the prompt and no other option does: the echo points to it.`)];
  }
  return [];
};

type Kind = 'year' | 'number' | 'text';
const MONTHS = '(?:january|february|march|april|may|june|july|august|september|october|november|december)';
const YEAR = new RegExp(`^(?:(?:early|mid|late)[- ]?|${MONTHS}\\s+)?(?:1[5-9]|20)\\d\\d(?:s)?$`, 'i');

/** What an option is: a year (or month and year), a number, or words. */
export function optionKind(text: string): Kind {
  const t = text.trim();
  if (YEAR.test(t)) return 'year';
  if (/^[-+]?[\d.,\s]+(?:%|per ?cent)?$/i.test(t)) return 'number';
  return 'text';
}

/** Warning: a distractor of another kind than the key (a year among countries) is eliminated at sight. */
export const kindMismatch: QuestionDetector = (q) => {
  const opts = options(q);
  if (!opts || !opts.others.length) return [];
  const keyKinds = new Set(opts.keys.map((c) => optionKind(c.text)));
  if (keyKinds.size !== 1) return [];
  const kind = [...keyKinds][0]!;
  const odd = opts.others.filter((c) => optionKind(c.text) !== kind);
  if (!odd.length) return [];
  return [
    questionFlag(
      q,
      'kind-mismatch',
      'warning',
      `"${odd[0]!.text}" is a ${optionKind(odd[0]!.text)} where the key is a ${kind}: learners rule it out without knowing the answer.`,
    ),
  ];
};
