import type { QuestionDefinition } from '../../questions/definition.ts';
import { contentStems, words } from './text.ts';
import { questionFlag, type QuestionDetector } from './types.ts';

/** Fewer pairs than this and the last pairs are forced by elimination. */
export const MIN_MATCHING_PAIRS = 4;

/** Error: a matching question with fewer than four pairs (with three, two right matches force the third). */
export const fewPairs: QuestionDetector = (q) =>
  q.type === 'matching' && q.pairs.length < MIN_MATCHING_PAIRS
    ? [questionFlag(q, 'few-pairs', 'error', `Only ${q.pairs.length} pairs: the last is forced by elimination; give at least ${MIN_MATCHING_PAIRS}.`)]
    : [];

const CONNECTIVES = [
  'so',
  'but',
  'finally',
  'then',
  'therefore',
  'thus',
  'hence',
  'however',
  'first',
  'firstly',
  'second',
  'secondly',
  'third',
  'thirdly',
  'next',
  'lastly',
  'last',
  'consequently',
  'yet',
  'instead',
  'meanwhile',
  'afterwards',
  'eventually',
  'ultimately',
  'moreover',
  'furthermore',
  'also',
  'and',
  'besides',
  'nonetheless',
  'nevertheless',
  'still',
  'accordingly',
];
const PHRASES = [
  'in conclusion',
  'as a result',
  'in turn',
  'after that',
  'to conclude',
  'in the end',
  'at last',
  'on the other hand',
  'even so',
  'for this reason',
];

/** The order-revealing opener of an item ("So", "But", "Finally", "As a result"), or null. */
export function orderConnective(item: string): string | null {
  const w = words(item);
  const two = w.slice(0, 4).join(' ');
  const phrase = PHRASES.find((p) => two === p || two.startsWith(`${p} `));
  if (phrase) return phrase;
  return w[0] && CONNECTIVES.includes(w[0]) ? w[0] : null;
}

/** Error: ordering items that open with connectives ("So", "But", "Finally") reveal their place. */
export const revealingConnectives: QuestionDetector = (q) => {
  if (q.type !== 'ordering') return [];
  const hits = q.items.map(orderConnective).filter((c): c is string => c !== null);
  if (!hits.length) return [];
  return [
    questionFlag(
      q,
      'order-connective',
      'error',
      `${hits.length} item${hits.length === 1 ? '' : 's'} open with "${[...new Set(hits)].join('", "')}": the connective tells where the item goes; reword it.`,
    ),
  ];
};

/** The parts a multi-part question asks about, each as text to find in the quote. */
function partsOf(q: QuestionDefinition): string[] {
  switch (q.type) {
    case 'multi':
      return q.answers.length > 1 ? q.choices.filter((c) => q.answers.includes(c.id)).map((c) => c.text) : [];
    case 'matching':
      return q.pairs.map((p) => `${p.left} ${p.right}`);
    case 'ordering':
      return q.items;
    case 'cloze':
      return q.blanks.length > 1 ? q.blanks.map((b) => b.answers.join(' ')) : [];
    default:
      return [];
  }
}

/** Warning: the quote supports some parts of a multi-part question but not others. */
export const partialQuote: QuestionDetector = (q) => {
  const parts = partsOf(q);
  if (parts.length < 2) return [];
  const quote = contentStems(q.source.quote);
  const supported = (p: string) => {
    const s = [...contentStems(p)];
    return s.length > 0 && s.filter((x) => quote.has(x)).length * 2 >= s.length;
  };
  const missing = parts.filter((p) => !supported(p));
  if (!missing.length) return [];
  return [
    questionFlag(
      q,
      'partial-quote',
      'warning',
      `The quote supports ${parts.length - missing.length} of ${parts.length} parts (not "${missing[0]!.slice(0, 60)}"): quote a span that covers them all, or split the question.`,
    ),
  ];
};
