import { questionDefinition, type QuestionDefinition } from '../../server/questions/definition.ts';

/** Question definitions of every type, as a bank would store them (validated by the contract). */
const meta = (id: string, prompt: string) => ({
  id,
  prompt,
  topics: ['members'],
  difficulty: 'medium',
  source: { passageId: 'background-3', quote: 'The SCO was founded in 2001.' },
  explanation: 'The paper says so.',
});

export const mcq = questionDefinition.parse({
  ...meta('founding-city', 'In which city was the SCO founded?'),
  type: 'mcq',
  choices: [
    { id: 'a', text: 'Beijing' },
    { id: 'b', text: 'Shanghai' },
    { id: 'c', text: 'Moscow' },
  ],
  answer: 'b',
});

export const multi = questionDefinition.parse({
  ...meta('founders', 'Which of these were founding members, according to the paper?'),
  type: 'multi',
  choices: [
    { id: 'a', text: 'China' },
    { id: 'b', text: 'Russia' },
    { id: 'c', text: 'India' },
    { id: 'd', text: 'Kazakhstan' },
    { id: 'e', text: 'Iran' },
  ],
  answers: ['a', 'b', 'd'],
});

export const trueFalse = questionDefinition.parse({
  ...meta('uzbek-2001', 'Uzbekistan joined in 2001.'),
  type: 'truefalse',
  answer: true,
});

export const short = questionDefinition.parse({
  ...meta('turkmen', 'Which Central Asian state stayed out of the SCO?'),
  type: 'short',
  answers: ['Türkmenistan', 'the Turkmen republic'],
});

export const shortShort = questionDefinition.parse({
  ...meta('observer', 'Name an observer state beginning with I.'),
  type: 'short',
  answers: ['Iran'],
});

export const numeric = questionDefinition.parse({
  ...meta('share', 'What share of world oil reserves do the members hold?'),
  type: 'numeric',
  answer: 8,
  tolerance: 0.5,
  unit: '%',
});

export const cloze = questionDefinition.parse({
  ...meta('cloze-founding', 'Fill in the blanks.'),
  type: 'cloze',
  text: 'The {{1}} Five became the SCO in {{2}} with {{3}} joining.',
  blanks: [{ answers: ['Shanghai'] }, { answers: ['2001'] }, { answers: ['Uzbekistan'] }],
});

export const matching = questionDefinition.parse({
  ...meta('capitals', 'Match each member with its capital.'),
  type: 'matching',
  pairs: [
    { left: 'China', right: 'Beijing' },
    { left: 'Russia', right: 'Moscow' },
    { left: 'Kazakhstan', right: 'Astana' },
    { left: 'Tajikistan', right: 'Dushanbe' },
  ],
});

export const ordering = questionDefinition.parse({
  ...meta('timeline', 'Put these events in order, earliest first.'),
  type: 'ordering',
  items: ['Shanghai Five formed', 'SCO founded', 'Charter signed', 'RATS opened', 'India joins'],
});

export const all: QuestionDefinition[] = [mcq, multi, trueFalse, short, numeric, cloze, matching, ordering];
