/** The detector of short answers that refuse what people obviously write. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shortVariants, sourceAbbreviations } from '../../../server/banks/quality/short-variants.ts';
import { cloze, codes, ctxWith, short } from './make-question.ts';

const ctx = ctxWith('Its Regional Antiterrorism Structure (RATS) is in Tashkent; it looks to the Middle East.');

test('the source defines its abbreviations as "Full name (ABBR)"', () => {
  assert.equal(sourceAbbreviations(ctx).get('Regional Antiterrorism Structure'), 'RATS');
});

test('missing-variant: a prompt asking for a province refuses "Xinjiang province"; listing it clears the flag', () => {
  const trips = short('s1', 'Which Chinese province faces separatism?', ['Xinjiang']);
  const flags = shortVariants(trips, ctx);
  assert.deepEqual(codes(flags), ['missing-variant']);
  assert.equal(flags[0]!.level, 'warning');
  assert.match(flags[0]!.reason, /Xinjiang province/);
  assert.deepEqual(shortVariants(short('s2', 'Which Chinese province faces separatism?', ['Xinjiang', 'Xinjiang Province']), ctx), []);
  // A noun the prompt mentions but does not ask for is no variant.
  assert.deepEqual(shortVariants(short('s2b', 'Which force did the 2007 summit not displace?', ['ISAF']), ctx), []);
});

test('missing-variant: the full name without the abbreviation the paper gives is flagged; "Full name (ABBR)" is not', () => {
  assert.match(shortVariants(short('s3', 'What is the body in Tashkent?', ['Regional Antiterrorism Structure']), ctx)[0]!.reason, /RATS/);
  assert.deepEqual(shortVariants(short('s4', 'What is the body in Tashkent?', ['Regional Antiterrorism Structure (RATS)']), ctx), []);
});

test('missing-variant: a plural without its singular, and "Middle East" without "Mid-East", in a cloze blank', () => {
  const trips = cloze('c1', 'Complete.', 'It looks to the {{1}} for {{2}}.', [['Middle East'], ['bases']]);
  const flags = shortVariants(trips, ctx);
  assert.equal(flags.length, 2);
  assert.match(flags[0]!.reason, /Blank 1 refuses "Mid-East"/);
  assert.match(flags[1]!.reason, /Blank 2 refuses "base"/);
  const nearMiss = cloze('c2', 'Complete.', 'It looks to the {{1}} for {{2}}.', [
    ['Middle East', 'Mid-East'],
    ['bases', 'base'],
  ]);
  assert.deepEqual(shortVariants(nearMiss, ctx), []);
});
