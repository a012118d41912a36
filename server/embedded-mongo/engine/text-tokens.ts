import stem from 'wink-porter2-stemmer';

/**
 * Words as a version-3 text index takes them (mongod's fts_unicode_tokenizer): a word is a
 * run of code points that are not delimiters; it is case-folded and checked against the stop
 * words (diacritics kept), stemmed (before diacritics go, as the stemmer is diacritic
 * sensitive), and then stripped of diacritics. Case- and diacritic-sensitive searches keep
 * the original case or the diacritics.
 */

/** The languages the embedded server can search; MongoDB's others are refused (text-spec.ts). */
export type TextLanguage = 'english' | 'none';

/** Unicode's White_Space, Dash, Hyphen, Quotation_Mark, Terminal_Punctuation, Pattern_Syntax and STerm (gen_delimiter_list.py); JavaScript has no Hyphen property, so its characters outside Dash are listed. */
const DELIMITER_CLASS =
  '[\\p{White_Space}\\p{Dash}\\p{Quotation_Mark}\\p{Terminal_Punctuation}\\p{Pattern_Syntax}\\p{Sentence_Terminal}\\u00AD\\u058A\\u1806\\u2010\\u2011\\u2E17\\u30FB\\uFE63\\uFF0D\\uFF65]';
const DELIMITERS = new RegExp(`${DELIMITER_CLASS}+`, 'u');
/** In English the apostrophe is part of a word ("don't"). */
const ENGLISH_DELIMITERS = new RegExp(`(?:(?!')${DELIMITER_CLASS})+`, 'u');

/** mongod's English stop words (stop_words_english.txt); `none` has none. */
const ENGLISH_STOP_WORDS = new Set(
  (
    "a about above after again against all am an and any are aren't as at be because been before being below between both but by can't cannot could couldn't " +
    "did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's " +
    "hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off on " +
    "once only or other ought our ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs " +
    "them themselves then there there's these they they'd they'll they're they've this those through to too under until up very was wasn't we we'd we'll we're " +
    "we've were weren't what what's when when's where where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're you've " +
    'your yours yourself yourselves'
  ).split(' '),
);

function splitWords(text: string, language: TextLanguage): string[] {
  return text.split(language === 'english' ? ENGLISH_DELIMITERS : DELIMITERS).filter((w) => w.length > 0);
}

const foldCache = new Map<string, string>();

/** Simple case folding of one code point (mongod's codepointToLower): `Σ`, `ς` → `σ`; one code point stays one. */
function foldChar(ch: string): string {
  let folded = foldCache.get(ch);
  if (folded === undefined) {
    const viaUpper = ch.toUpperCase().toLowerCase();
    const lower = ch.toLowerCase();
    folded = [...viaUpper].length === 1 ? viaUpper : [...lower].length === 1 ? lower : ch;
    foldCache.set(ch, folded);
  }
  return folded;
}

/** A string case-folded code point by code point. */
export function foldCase(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) out += foldChar(ch);
  return out;
}

const DIACRITIC = /^\p{Diacritic}$/u;
const strippedCache = new Map<string, string>();

/** One code point without its diacritics (gen_diacritic_map.py): a pure diacritic goes, `é` → `e`, `ø` stays. */
function stripChar(ch: string): string {
  let out = strippedCache.get(ch);
  if (out === undefined) {
    if (DIACRITIC.test(ch)) out = '';
    else {
      const recomposed = [...ch.normalize('NFD')]
        .filter((c) => !DIACRITIC.test(c))
        .join('')
        .normalize('NFC');
      out = [...recomposed].length === 1 ? recomposed : ch;
    }
    strippedCache.set(ch, out);
  }
  return out;
}

/** A string without diacritics, its case kept. */
export function stripDiacritics(text: string): string {
  // ASCII's only diacritics are ^ and `.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.includes('^') || text.includes('`') ? text.replace(/[\^`]/g, '') : text;
  let out = '';
  for (const ch of text) out += stripChar(ch);
  return out;
}

const stemCache = new Map<string, string>();

/**
 * Snowball's English stemmer on a word as given. wink lowercases its input, where Snowball
 * treats capitals as consonants (a case-sensitive search stems "Running" to "Run"): capitals
 * are swapped for private-use characters, which wink also treats as consonants, and back.
 */
function stemEnglish(word: string): string {
  // Snowball drops a leading apostrophe before anything else; wink does not.
  const w = word.startsWith("'") ? word.slice(1) : word;
  if (w === foldCase(w)) {
    // Texts repeat their words: stems are remembered (the cache is emptied when it grows large).
    let stemmed = stemCache.get(w);
    if (stemmed === undefined) {
      if (stemCache.size >= 100_000) stemCache.clear();
      stemmed = stem(w);
      stemCache.set(w, stemmed);
    }
    return stemmed;
  }
  const swapped = new Map<string, string>();
  let masked = '';
  for (const ch of w) {
    if (ch.toLowerCase() === ch) {
      masked += ch;
      continue;
    }
    let mark = [...swapped.entries()].find(([, c]) => c === ch)?.[0];
    if (!mark) {
      mark = String.fromCodePoint(0xe000 + swapped.size);
      swapped.set(mark, ch);
    }
    masked += mark;
  }
  let out = '';
  for (const ch of stem(masked)) out += swapped.get(ch) ?? ch;
  return out;
}

export interface TokenOptions {
  /** Stop words dropped (scoring, the query's terms); the matcher's re-checks keep them. */
  filterStopWords: boolean;
  caseSensitive: boolean;
  diacriticSensitive: boolean;
}

export const INDEX_TOKENS: TokenOptions = { filterStopWords: true, caseSensitive: false, diacriticSensitive: false };

/** The terms of a text, in order, as the index (or a query) sees them. */
export function tokenize(text: string, language: TextLanguage, options: TokenOptions): string[] {
  const out: string[] = [];
  for (const word of splitWords(text, language)) {
    const lower = foldCase(word);
    if (options.filterStopWords && language === 'english' && ENGLISH_STOP_WORDS.has(lower)) continue;
    const form = options.caseSensitive ? word : lower;
    const stemmed = language === 'english' ? stemEnglish(form) : form;
    out.push(options.diacriticSensitive ? stemmed : stripDiacritics(stemmed));
  }
  return out;
}

/** Whether `needle` occurs in `haystack`, as a phrase matches (String::substrMatch). */
export function containsPhrase(haystack: string, needle: string, caseSensitive: boolean, diacriticSensitive: boolean): boolean {
  const prepare = (s: string): string => {
    const cased = caseSensitive ? s : foldCase(s);
    return diacriticSensitive ? cased : stripDiacritics(cased);
  };
  return prepare(haystack).includes(prepare(needle));
}
