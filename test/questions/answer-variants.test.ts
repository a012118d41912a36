/** Answers people write: "Full name (ABBR)", British and American spellings, curly and straight quotes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchAcceptedAnswer } from '../../server/questions/normalise-answer.ts';
import { expandAcceptedAnswers, splitNameAndAbbreviation } from '../../server/questions/answer-variants.ts';
import { findQuote } from '../../server/banks/find-quote.ts';

test('an accepted "Full name (ABBR)" accepts the name alone, the abbreviation alone and both', () => {
  const accepted = ['Regional Antiterrorism Structure (RATS)'];
  assert.equal(matchAcceptedAnswer('Regional Antiterrorism Structure', accepted), 'exact');
  assert.equal(matchAcceptedAnswer('rats', accepted), 'exact');
  assert.equal(matchAcceptedAnswer('Regional Antiterrorism Structure (RATS)', accepted), 'exact');
  assert.equal(matchAcceptedAnswer('Regional Structure', accepted), 'none');
});

test('a typed "Full name (ABBR)" is right when both parts are accepted, wrong when either is not', () => {
  const accepted = ['Regional Antiterrorism Structure', 'RATS'];
  assert.equal(matchAcceptedAnswer('Regional Antiterrorism Structure (RATS)', accepted), 'exact');
  assert.equal(matchAcceptedAnswer('Regional Antiterrorism Structure (CSTO)', accepted), 'none');
});

test('brackets that are not an abbreviation are not split: "Xinjiang (province)" does not accept "province"', () => {
  assert.equal(splitNameAndAbbreviation('Xinjiang (province)'), null);
  assert.deepEqual(expandAcceptedAnswers(['Xinjiang (province)']), ['Xinjiang (province)']);
  assert.equal(matchAcceptedAnswer('province', ['Xinjiang (province)']), 'none');
  assert.deepEqual(splitNameAndAbbreviation('Partnership for Peace (PfP)'), ['Partnership for Peace', 'PfP']);
});

test('British and American spellings are the same answer', () => {
  assert.equal(matchAcceptedAnswer('dialog', ['dialogue']), 'exact');
  assert.equal(matchAcceptedAnswer('Partnership for Peace program', ['Partnership for Peace programme']), 'exact');
  assert.equal(matchAcceptedAnswer('dialogue', ['dialog']), 'exact');
});

test('straight and curly apostrophes and quotes grade alike', () => {
  assert.equal(matchAcceptedAnswer("China's west", ['China’s west']), 'exact');
  assert.equal(matchAcceptedAnswer('“Shanghai spirit”', ['"Shanghai spirit"']), 'exact');
});

test('the quote check finds a quote typed with straight marks in a passage printed with curly ones, and returns the passage’s span', () => {
  const passage = 'The group’s heads of state agreed on a “unified energy market”.';
  assert.equal(findQuote(passage, "group's heads of state"), 'group’s heads of state');
  assert.equal(findQuote(passage, 'a "unified energy market"'), 'a “unified energy market”');
  assert.equal(findQuote(passage, 'the groups heads'), null);
});
