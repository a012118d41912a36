import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../server/questions/random.ts';
import { questionDefinition } from '../../server/questions/definition.ts';
import { longestSharedRun } from '../../server/banks/quality/text.ts';
import { qualityReport } from '../../server/banks/quality/index.ts';
import { buildIndex } from '../../server/drafts/build-index.ts';
import type { Draft, SentenceInput, SourcePassage } from '../../server/drafts/draft.ts';
import { clozeDrafts } from '../../server/drafts/generators/cloze.ts';
import { shortDrafts } from '../../server/drafts/generators/short.ts';
import { numericDrafts } from '../../server/drafts/generators/numeric.ts';
import { mcqDrafts } from '../../server/drafts/generators/mcq.ts';
import { trueFalseDrafts } from '../../server/drafts/generators/truefalse.ts';
import { matchingDrafts } from '../../server/drafts/generators/matching.ts';
import { intervalOf, orderingDrafts } from '../../server/drafts/generators/ordering.ts';

// A small crafted document: members in a list, dates, a rounded figure, an abbreviation, actors.
const PASSAGES: SourcePassage[] = [
  {
    id: 'history-1',
    sectionTitle: 'History',
    text: 'The Shanghai Cooperation Organisation (SCO) was founded in June 2001 by China, Russia, Kazakhstan and Tajikistan. In August 2007, the SCO held a military exercise in Russia.',
  },
  {
    id: 'history-2',
    sectionTitle: 'History',
    text: 'In July 2005, the group called for a timetable for the withdrawal of foreign bases. By the late 1990s, the threat from radical Islamic movements had grown in Central Asia.',
  },
  {
    id: 'energy-1',
    sectionTitle: 'Energy',
    text: 'The members hold some 8% of global oil reserves and 30% of natural gas reserves. In February 2008, Kazakhstan signed a pipeline deal with China.',
  },
  {
    id: 'actors-1',
    sectionTitle: 'Actors',
    text: 'India joined the group as an observer in the middle of the decade. Pakistan sought closer ties with the Central Asian states. Iran requested full membership of the organisation. Mongolia kept a careful distance from every bloc in the region.',
  },
  {
    id: 'actors-2',
    sectionTitle: 'Actors',
    text: 'NATO remained the main security alliance of the West. The European Union (EU) considered an ad hoc dialogue with the group.',
  },
  { id: 'notes-1', sectionTitle: 'Endnotes', text: '1 Smith, J. (1999) A study of Asia, 2003.' },
];
const index = buildIndex(PASSAGES);
const passage = (id: string) => index.passages.find((p) => p.id === id)!;
const inputs = (id: string): SentenceInput[] =>
  (index.sentences.get(id) ?? []).map((sentence) => ({ passage: passage(id), sentence, index, random: seededRandom(7) }));
const all = (gen: (i: SentenceInput) => Draft[], id: string) => inputs(id).flatMap(gen);

/** What every draft must be: a valid definition whose quote is verbatim in the passage it cites. */
function assertGrounded(d: Draft) {
  assertGroundedIn(d, PASSAGES);
}

function assertGroundedIn(d: Draft, passages: readonly SourcePassage[]) {
  assert.ok(questionDefinition.safeParse(d.question).success, JSON.stringify(questionDefinition.safeParse(d.question).error?.issues));
  const cited = passages.find((p) => p.id === d.question.source.passageId);
  assert.ok(cited, `cites ${d.question.source.passageId}`);
  assert.ok(cited.text.includes(d.question.source.quote), `quote verbatim: ${d.question.source.quote}`);
  assert.equal(d.passageId, d.question.source.passageId);
  assert.ok(d.question.explanation.length > 0 && d.question.topics.length > 0);
}

test('nothing is drafted from an endnotes section', () => {
  assert.equal(index.sentences.has('notes-1'), false);
  assert.ok(!(index.mentions.get('year') ?? []).some((m) => m.text === '2003'));
});

test('cloze: a list of members becomes one cloze with a blank per member; single keys are blanked alone', () => {
  const drafts = all(clozeDrafts, 'history-1');
  drafts.forEach(assertGrounded);
  const list = drafts.find((d) => d.question.type === 'cloze' && d.question.blanks.length === 4)!;
  assert.ok(list, 'a four-blank list');
  assert.ok(list.question.type === 'cloze');
  assert.deepEqual(
    list.question.blanks.map((b) => b.answers[0]),
    ['China', 'Russia', 'Kazakhstan', 'Tajikistan'],
  );
  assert.match(list.question.text, /by \{\{1\}\}, \{\{2\}\}, \{\{3\}\} and \{\{4\}\}\./);
  const date = drafts.find((d) => d.question.type === 'cloze' && d.question.blanks.length === 1 && d.question.blanks[0]!.answers[0] === 'June 2001');
  assert.ok(date, 'the founding date blanked');
  // The name beside its own abbreviation is not blanked: "(SCO)" would give it away.
  assert.ok(!drafts.some((d) => d.terms.includes('Shanghai Cooperation Organisation')));
});

test('short answer: the key accepts every form the document uses ("SCO" and its full name)', () => {
  const drafts = all(shortDrafts, 'history-1');
  drafts.forEach(assertGrounded);
  const sco = drafts.find((d) => d.terms[0] === 'SCO')!;
  assert.ok(sco && sco.question.type === 'short');
  assert.deepEqual(sco.question.answers, ['SCO', 'Shanghai Cooperation Organisation']);
  assert.match(
    sco.question.prompt,
    /^Which organisation completes this statement from the document\? “In August 2007, the _____ held a military exercise in Russia\.”$/,
  );
});

test('numeric: a rounded figure ("some 8%") gets a tolerance, an exact one none', () => {
  const drafts = all(numericDrafts, 'energy-1');
  drafts.forEach(assertGrounded);
  const oil = drafts.find((d) => d.terms[0] === '8%')!;
  const gas = drafts.find((d) => d.terms[0] === '30%')!;
  assert.ok(oil.question.type === 'numeric' && gas.question.type === 'numeric');
  assert.equal(oil.question.answer, 8);
  assert.equal(oil.question.tolerance, 1);
  assert.equal(oil.question.unit, '%');
  assert.equal(gas.question.answer, 30);
  assert.equal(gas.question.tolerance, 0);
  // A year inside a date ("February 2008") is asked as the date, not typed as a number.
  assert.ok(!drafts.some((d) => d.terms[0] === '2008'));
});

test('multiple choice: the key is right, distractors are of its kind, from elsewhere, and not also true', () => {
  const drafts = [...all(mcqDrafts, 'history-1'), ...all(mcqDrafts, 'energy-1'), ...all(mcqDrafts, 'history-2')];
  assert.ok(drafts.length >= 2, `${drafts.length} mcqs`);
  for (const d of drafts) {
    assertGrounded(d);
    assert.ok(d.question.type === 'mcq');
    const key = d.question.choices.find((c) => c.id === (d.question as { answer: string }).answer)!;
    assert.equal(key.text, d.terms[0]);
    assert.ok(d.question.source.quote.includes(key.text), 'the key is the quote’s own words');
    const kindOf = (text: string) => [...index.mentions].find(([, ms]) => ms.some((m) => m.text === text))?.[0];
    for (const c of d.question.choices) {
      assert.equal(kindOf(c.text), kindOf(key.text), `${c.text} is of the key's kind`);
      if (c.id === key.id) continue;
      assert.ok(!d.question.source.quote.includes(c.text), `${c.text} is not in the key's sentence (not also true)`);
    }
  }
  // A date among dates: the founding date's distractors are month-year dates of the same document.
  const founding = drafts.find((d) => d.terms[0] === 'June 2001')!;
  assert.ok(founding && founding.question.type === 'mcq');
  for (const c of founding.question.choices) assert.match(c.text, /^[A-Z][a-z]+ \d{4}$/);
});

test('a country is offered among countries, never among members listed in the same sentence', () => {
  const d = all(mcqDrafts, 'energy-1').find((x) => x.terms[0] === 'Kazakhstan');
  if (!d) return assert.fail('a Kazakhstan question');
  assert.ok(d.question.type === 'mcq');
  const others = d.question.choices.map((c) => c.text).filter((t) => t !== 'Kazakhstan');
  assert.ok(!others.includes('China'), 'China is in the same sentence');
  for (const o of others) assert.ok(['Russia', 'Tajikistan', 'India', 'Pakistan', 'Iran', 'Mongolia'].includes(o), `${o} is a country`);
});

test('true/false: the pair is the sentence as written and with one same-kind detail swapped, worded alike', () => {
  const drafts = inputs('history-1').flatMap(trueFalseDrafts);
  assert.ok(drafts.length >= 2);
  const [t, f] = drafts;
  assert.ok(t && f && t.question.type === 'truefalse' && f.question.type === 'truefalse');
  assert.equal(t.pairKey, f.pairKey);
  assert.equal(t.question.answer, true);
  assert.equal(f.question.answer, false);
  assert.equal(t.question.prompt, `True or false: ${t.question.source.quote}`);
  // Worded alike: the same words but one detail, and the same number of words copied from the paper either way.
  const tw = t.question.prompt.split(' ');
  const fw = f.question.prompt.split(' ');
  let head = 0;
  while (tw[head] === fw[head]) head++;
  let tail = 0;
  while (tail < tw.length - head && tw[tw.length - 1 - tail] === fw[fw.length - 1 - tail]) tail++;
  const differing = Math.max(tw.length, fw.length) - head - tail;
  assert.ok(differing >= 1 && differing <= 3, `${differing} words differ`);
  const copies = (s: string) => longestSharedRun(s, passage(t.passageId).text) >= 10;
  assert.equal(copies(t.question.prompt), copies(f.question.prompt));
  assert.ok(!PASSAGES.some((p) => p.text.includes(f.question.prompt.replace('True or false: ', ''))), 'the false statement is said nowhere');
  [t, f].forEach(assertGrounded);
  // The bank-quality report does not flag the pair.
  const report = qualityReport([t.question, f.question], { passages: new Map(PASSAGES.map((p) => [p.id, p])) });
  assert.deepEqual(
    report.questionFlags.filter((x) => x.level === 'error'),
    [],
  );
  assert.deepEqual(report.bankFlags, []);
});

test('matching: actors of one section and what the document says of each, none naming another', () => {
  const drafts = matchingDrafts(index);
  const actors = drafts.find((d) => d.sectionTitle === 'Actors');
  assert.ok(actors && actors.question.type === 'matching');
  assertGrounded(actors);
  assert.ok(actors.question.pairs.length >= 4);
  const left = actors.question.pairs.map((p) => p.left);
  assert.deepEqual(left.slice(0, 4), ['India', 'Pakistan', 'Iran', 'Mongolia']);
  assert.equal(actors.question.pairs[0]!.right, 'joined the group as an observer in the middle of the decade');
  const report = qualityReport([actors.question], { passages: new Map(PASSAGES.map((p) => [p.id, p])) });
  assert.deepEqual(
    report.questionFlags.filter((x) => x.level === 'error'),
    [],
  );
});

test('ordering: dated events, the date taken out, earliest first', () => {
  const drafts = orderingDrafts(index);
  assert.equal(drafts.length, 1);
  const d = drafts[0]!;
  assertGrounded(d);
  assert.ok(d.question.type === 'ordering');
  assert.deepEqual(d.question.items, [
    'The threat from radical Islamic movements had grown in Central Asia.',
    'The Shanghai Cooperation Organisation (SCO) was founded by China, Russia, Kazakhstan and Tajikistan.',
    'The group called for a timetable for the withdrawal of foreign bases.',
    'The SCO held a military exercise in Russia.',
  ]);
});

test('the subject a document names everywhere is never the key (it is guessed without reading)', () => {
  const text = Array.from(
    { length: 12 },
    (_, i) => `In ${1990 + i}, the World Health Organization (WHO) met in ${['Geneva', 'Paris', 'Rome', 'Berlin'][i % 4]} with Kenya.`,
  ).join(' ');
  const doc = buildIndex([{ id: 'subject-1', sectionTitle: 'History', text }]);
  assert.ok(doc.subject.has('WHO') && doc.subject.has('World Health Organization'));
  const drafts = (doc.sentences.get('subject-1') ?? []).flatMap((sentence) =>
    [clozeDrafts, shortDrafts, mcqDrafts, trueFalseDrafts].flatMap((g) => g({ passage: doc.passages[0]!, sentence, index: doc, random: seededRandom(3) })),
  );
  assert.ok(drafts.length > 0);
  for (const d of drafts) assert.ok(!d.terms.includes('WHO') && !d.terms.includes('World Health Organization'), d.question.prompt);
});

test('a name that is only the end of a longer name ("Central Asia" read as "Asia") is not blanked; a sentence-initial phrase is', () => {
  const doc = buildIndex([{ id: 'region-1', sectionTitle: 'Region', text: 'For China, stability in Central Asia matters more than trade with Japan.' }]);
  const drafts = (doc.sentences.get('region-1') ?? []).flatMap((sentence) =>
    shortDrafts({ passage: doc.passages[0]!, sentence, index: doc, random: seededRandom(3) }),
  );
  assert.ok(drafts.some((d) => d.terms[0] === 'China'));
  assert.ok(!drafts.some((d) => d.terms[0] === 'Asia'));
});

const docOf = (passages: SourcePassage[]) => ({ passages, index: buildIndex(passages) });
const noErrors = (d: Draft, passages: SourcePassage[]) =>
  assert.deepEqual(
    qualityReport([d.question], { passages: new Map(passages.map((p) => [p.id, p])) }).questionFlags.filter((x) => x.level === 'error'),
    [],
  );

test('matching: each right is the document’s words about its left, quoted in the cited passage; the quote proves the pairs it holds', () => {
  const actors = matchingDrafts(index).find((d) => d.sectionTitle === 'Actors')!;
  assert.ok(actors.question.type === 'matching');
  for (const p of actors.question.pairs)
    assert.ok(
      PASSAGES.some((x) => x.text.includes(`${p.left} ${p.right}`) || x.text.includes(p.right)),
      p.right,
    );
  assert.equal(actors.question.source.passageId, 'actors-1', 'the passage holding most pairs');
  for (const left of ['India', 'Pakistan', 'Iran', 'Mongolia']) assert.ok(actors.question.source.quote.includes(left));
});

test('matching: nothing ambiguous: alike rights, a right said of another left, a right naming a left, terms mixed with actors', () => {
  const passages: SourcePassage[] = [
    {
      id: 'actors-1',
      sectionTitle: 'Actors',
      text: 'Iran requested full membership of the organisation. Pakistan requested full membership of the organisation too. Mongolia kept a careful distance from every bloc in the region. Russia built a pipeline to China across the steppe. China bought most of the gas from the northern fields.',
    },
    {
      id: 'actors-2',
      sectionTitle: 'Actors',
      text: 'Turkey and Mongolia both kept a careful distance from every bloc. Turkey sent observers to the summit every year. The charter is a treaty signed by every member.',
    },
  ];
  const { index: doc } = docOf(passages);
  for (const d of matchingDrafts(doc)) {
    assert.ok(d.question.type === 'matching');
    const lefts = d.question.pairs.map((p) => p.left);
    assert.ok(!(lefts.includes('Iran') && lefts.includes('Pakistan')), 'two rights alike');
    assert.ok(!(lefts.includes('Mongolia') && lefts.includes('Turkey')), 'the document says the same of Turkey');
    assert.ok(!(lefts.includes('Russia') && lefts.includes('China')), 'Russia’s right names China');
    assert.ok(!lefts.includes('The charter'), 'a term is not matched among actors');
  }
});

test('matching: terms and their definitions from one section; fewer than four pairs give no draft', () => {
  const terms: SourcePassage[] = [
    {
      id: 'terms-1',
      sectionTitle: 'Terms',
      text: 'A delta is a landform built from sediment where a river meets the sea. An estuary is the tidal mouth of a large river. A tributary is a stream that flows into a larger river. A watershed is an area of land that drains into one river.',
    },
    {
      id: 'few-1',
      sectionTitle: 'Few',
      text: 'India joined the group as an observer in the middle of the decade. Pakistan sought closer ties with the Central Asian states. Iran requested full membership of the organisation.',
    },
  ];
  const drafts = matchingDrafts(docOf(terms).index);
  assert.deepEqual(
    drafts.map((d) => d.sectionTitle),
    ['Terms'],
  );
  const d = drafts[0]!;
  assertGroundedIn(d, terms);
  assert.ok(d.question.type === 'matching');
  assert.deepEqual(d.question.pairs[1], { left: 'An estuary', right: 'the tidal mouth of a large river' });
  assert.equal(d.question.source.quote, terms[0]!.text, 'one passage: the quote proves every pair');
  noErrors(d, terms);
});

test('ordering: only dates that frame the event, none overlapping; too few events give no draft; leftovers are ordered across the document', () => {
  const passages: SourcePassage[] = [
    {
      id: 'a-1',
      sectionTitle: 'Early',
      text: 'In 1999, the river council met for the first time in Bangkok. By the late 1990s, the fish stocks of the lake had fallen sharply. It replaced the old committee, which the United Nations had set up in 1957. The bank has funded forty projects along the river since 1992.',
    },
    {
      id: 'b-1',
      sectionTitle: 'Later',
      text: 'In June 2003, Laos opened a dam on the main stream. The delegates argued during the 2006 summit about the dams.',
    },
    { id: 'c-1', sectionTitle: 'Recent', text: 'Vietnam signed a water treaty with Cambodia in 2012. In 2020, the council published a report on sediment.' },
  ];
  const drafts = orderingDrafts(docOf(passages).index);
  assert.equal(drafts.length, 1, 'no section has three: one draft across the document');
  const d = drafts[0]!;
  assertGroundedIn(d, passages);
  noErrors(d, passages);
  assert.ok(d.question.type === 'ordering');
  assert.equal(d.question.prompt, 'Put these events from the document in the order they happened, earliest first.');
  assert.deepEqual(d.question.items.slice(-3), [
    'Laos opened a dam on the main stream.',
    'Vietnam signed a water treaty with Cambodia.',
    'The council published a report on sediment.',
  ]);
  // 1999 and "by the late 1990s" overlap: at most one of them; the 1957 clause, "since 1992" and "the 2006 summit" date no event.
  const text = d.question.items.join(' ');
  assert.ok(!(text.includes('council met') && text.includes('fish stocks')));
  assert.ok(!/replaced|funded|delegates/.test(text), text);
  assert.ok(d.question.items.indexOf('Laos opened a dam on the main stream.') < d.question.items.indexOf('The council published a report on sediment.'));
  assert.deepEqual(orderingDrafts(docOf(passages.slice(1, 2)).index), [], 'one or two events: no draft');
});

test('intervalOf: the stretch of time a date allows', () => {
  assert.deepEqual(intervalOf('2005'), { from: 2005, to: 2006 });
  assert.deepEqual(intervalOf('late 1990’s'), { from: 1996, to: 2000 });
  assert.deepEqual(intervalOf('mid-2005'), { from: 2005.25, to: 2005.75 });
  assert.equal(intervalOf('June 2001')!.from, 2001 + 5 / 12);
});
