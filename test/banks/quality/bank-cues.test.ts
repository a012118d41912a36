/** Bank-level detectors: true/false copying, giveaways between questions, near-duplicates; and the whole report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trueFalseCopy, trueFalseCopyGap } from '../../../server/banks/quality/true-false-copy.ts';
import { giveaways, nearDuplicates } from '../../../server/banks/quality/cross-question.ts';
import { flagsOf, qualityReport } from '../../../server/banks/quality/index.ts';
import { codes, ctxWith, matching, mcq, multi, short, tf } from './make-question.ts';

const PAPER =
  'The Regional Antiterrorism Structure of the Shanghai Cooperation Organisation has been established in Tashkent with a small staff and a modest budget.';
const ctx = ctxWith(PAPER);

const copied = (i: number, answer: boolean) => tf(`c${answer}${i}`, `True or false: ${PAPER}`, answer);
const paraphrased = (i: number, answer: boolean) => tf(`p${answer}${i}`, 'True or false: the anti-terror centre sits in Uzbekistan’s capital.', answer);

test('true-false-copy: true statements copying the paper while false ones paraphrase is an error; both copying alike is not', () => {
  const skewed = [...[0, 1, 2, 3].map((i) => copied(i, true)), ...[0, 1, 2, 3].map((i) => paraphrased(i, false))];
  assert.equal(trueFalseCopy(skewed, ctx).trueCopied, 4);
  const flags = trueFalseCopyGap(skewed, ctx);
  assert.deepEqual(codes(flags), ['true-false-copy']);
  assert.equal(flags[0]!.level, 'error');
  const even = [
    ...[0, 1].map((i) => copied(i, true)),
    ...[2, 3].map((i) => paraphrased(i, true)),
    ...[0, 1].map((i) => copied(i, false)),
    ...[2, 3].map((i) => paraphrased(i, false)),
  ];
  assert.deepEqual(trueFalseCopyGap(even, ctx), []);
});

test('giveaway: a matching pair showing another question’s answer in its setting is an error; the answer in an unrelated setting is not', () => {
  const asked = short('where', 'In which city is the Regional Antiterrorism Structure based?', ['Tashkent']);
  const pairs = matching('pairs', 'Match each body to its seat.', [
    ['Regional Antiterrorism Structure', 'Tashkent'],
    ['Secretariat', 'Beijing'],
    ['Forum', 'Astana'],
    ['Bank', 'Almaty'],
  ]);
  const flags = giveaways([asked, pairs], ctx);
  assert.deepEqual(codes(flags), ['giveaway']);
  assert.equal(flags[0]!.questionId, 'pairs');
  assert.deepEqual(flags[0]!.related, ['where']);
  assert.equal(flags[0]!.level, 'error');
  const unrelated = mcq('trade', 'Which city hosted the 2001 trade fair on cotton?', ['Tashkent', 'Bishkek', 'Dushanbe'], 0);
  assert.deepEqual(giveaways([asked, unrelated], ctx), []);
});

test('giveaway: a wrong choice naming the answer gives nothing away', () => {
  const asked = short('where', 'In which city is the Regional Antiterrorism Structure based?', ['Tashkent']);
  const other = mcq('o', 'Where is the Regional Antiterrorism Structure budget set?', ['Beijing', 'Tashkent', 'Moscow'], 0);
  assert.deepEqual(giveaways([asked, other], ctx), []);
});

test('near-duplicate: two questions on one passage asking the same fact are flagged; different facts are not', () => {
  const a = short('a', 'In which city is the SCO anti-terrorism structure based?', ['Tashkent']);
  const b = short('b', 'Which city is the base of the SCO anti-terrorism structure?', ['Tashkent']);
  const flags = nearDuplicates([a, b], ctx);
  assert.deepEqual(codes(flags), ['near-duplicate']);
  assert.equal(flags[0]!.level, 'warning');
  const c = short('c', 'How large is the staff of the anti-terrorism structure?', ['small']);
  assert.deepEqual(nearDuplicates([a, c], ctx), []);
});

test('the report counts flags and figures: types, levels, passages cited, longest keys', () => {
  const q1 = { ...mcq('q1', 'Which city?', ['Tashkent', 'Bishkek', 'Almaty'], 0), level: 'recall' as const };
  const q2 = {
    ...matching(
      'q2',
      'Match.',
      [
        ['Chechnya', 'Russia'],
        ['Xinjiang', 'China'],
      ],
      'Chechnya in Russia, Xinjiang in China',
    ),
    level: 'understand' as const,
  };
  const report = qualityReport([q1, q2], ctxWith(PAPER, { 'endnotes-1': 'a note', 'security-1': 'uncited' }));
  assert.equal(report.figures.questions, 2);
  assert.deepEqual(report.figures.byLevel, [
    { key: 'recall', count: 1 },
    { key: 'understand', count: 1 },
    { key: 'apply', count: 0 },
    { key: 'untagged', count: 0 },
  ]);
  assert.equal(report.figures.higherOrderShare, 0.5);
  assert.deepEqual(report.figures.passagesCited, { cited: 1, of: 2, uncited: ['security-1'] });
  assert.equal(report.figures.byType.find((t) => t.key === 'matching')!.count, 1);
  assert.deepEqual(codes(flagsOf(report, 'q2')), ['few-pairs']);
  assert.equal(report.errors, 1);
});

test('giveaway: a multi is given away only when half its right choices (two or more) are shown in its setting', () => {
  const asked = multi(
    'burdens',
    'Which burdens on relations among the Central Asian states does the paper list?',
    ['Border disputes', 'Trade wars', 'Proxy aggression', 'Piracy'],
    [0, 1, 2],
  );
  const two = matching('two', 'Match.', [
    ['Central Asian relations', 'Burdened by border disputes and trade wars'],
    ['Russia', 'Chechnya'],
    ['China', 'Xinjiang'],
    ['India', 'Observer'],
  ]);
  assert.deepEqual(codes(giveaways([asked, two], ctx)), ['giveaway']);
  const one = matching('one', 'Match.', [
    ['Central Asian relations', 'Burdened by border disputes'],
    ['Russia', 'Chechnya'],
    ['China', 'Xinjiang'],
    ['India', 'Observer'],
  ]);
  assert.deepEqual(giveaways([asked, one], ctx), []);
});
