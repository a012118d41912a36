import { questionDefinition, type QuestionDefinition, type QuestionType } from '../../server/questions/definition.ts';

/** Validates a fixture and keeps its type narrow, so tests can read type-specific fields. */
function define<T extends QuestionType>(type: T, raw: object): Extract<QuestionDefinition, { type: T }> {
  const def = questionDefinition.parse({ ...raw, type });
  if (def.type !== type) throw new Error('unreachable');
  return def as Extract<QuestionDefinition, { type: T }>;
}

/** Question definitions of every type, as a bank would store them (validated by the contract). */
const meta = (id: string, prompt: string) => ({
  id,
  prompt,
  topics: ['members'],
  difficulty: 'medium',
  source: { passageId: 'background-3', quote: 'The SCO was founded in 2001.' },
  explanation: 'The paper says so.',
});

export const mcq = define('mcq', {
  ...meta('founding-city', 'In which city was the SCO founded?'),
  choices: [
    { id: 'a', text: 'Beijing' },
    { id: 'b', text: 'Shanghai' },
    { id: 'c', text: 'Moscow' },
  ],
  answer: 'b',
});

export const multi = define('multi', {
  ...meta('founders', 'Which of these were founding members, according to the paper?'),
  choices: [
    { id: 'a', text: 'China' },
    { id: 'b', text: 'Russia' },
    { id: 'c', text: 'India' },
    { id: 'd', text: 'Kazakhstan' },
    { id: 'e', text: 'Iran' },
  ],
  answers: ['a', 'b', 'd'],
});

export const trueFalse = define('truefalse', {
  ...meta('uzbek-2001', 'Uzbekistan joined in 2001.'),
  answer: true,
});

export const short = define('short', {
  ...meta('turkmen', 'Which Central Asian state stayed out of the SCO?'),
  answers: ['Türkmenistan', 'the Turkmen republic'],
});

export const shortShort = define('short', {
  ...meta('observer', 'Name an observer state beginning with I.'),
  answers: ['Iran'],
});

export const numeric = define('numeric', {
  ...meta('share', 'What share of world oil reserves do the members hold?'),
  answer: 8,
  tolerance: 0.5,
  unit: '%',
});

export const cloze = define('cloze', {
  ...meta('cloze-founding', 'Fill in the blanks.'),
  text: 'The {{1}} Five became the SCO in {{2}} with {{3}} joining.',
  blanks: [{ answers: ['Shanghai'] }, { answers: ['2001'] }, { answers: ['Uzbekistan'] }],
});

export const matching = define('matching', {
  ...meta('capitals', 'Match each member with its capital.'),
  pairs: [
    { left: 'China', right: 'Beijing' },
    { left: 'Russia', right: 'Moscow' },
    { left: 'Kazakhstan', right: 'Astana' },
    { left: 'Tajikistan', right: 'Dushanbe' },
  ],
});

export const ordering = define('ordering', {
  ...meta('timeline', 'Put these events in order, earliest first.'),
  items: ['Shanghai Five formed', 'SCO founded', 'Charter signed', 'RATS opened', 'India joins'],
});

/** An essay, marked by hand: not in `all`, which holds the types graded from their key. */
export const essay = define('essay', {
  ...meta('why-founded', 'Why was the SCO founded, according to the paper?'),
  maxMark: 20,
  wordLimit: 50,
  rubric: 'Border security (10); the Shanghai Five before it (10).',
  modelAnswer: 'It grew out of the Shanghai Five, set up to settle borders.',
});

export const all: QuestionDefinition[] = [mcq, multi, trueFalse, short, numeric, cloze, matching, ordering];
