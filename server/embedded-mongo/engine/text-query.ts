import { CommandError, ErrorCodes } from '../errors.ts';
import { bsonTypeName } from '../bson-types.ts';
import { isPlainObject, type Doc } from '../documents.ts';
import type { Collection } from './collection.ts';
import type { SecondaryIndex } from './indexes.ts';
import { canonicalLanguage, searchableLanguage, type TextSpec } from './text-spec.ts';
import { containsPhrase, tokenize, type TextLanguage, type TokenOptions } from './text-tokens.ts';
import { recordTextScore } from './text-scores.ts';

/**
 * `$text` as mongod runs it: the query string split into terms, negated terms and phrases
 * (fts_query_impl.cpp); a document matches when it holds one of the terms (after stop words
 * and stemming), none of the negated terms, every phrase and none of the negated phrases
 * (fts_matcher.cpp); its score is the sum of its scores for the terms (text-spec.ts).
 */

/** Where a `$text` is looked up: the collection (maybe missing) and its namespace, for mongod's errors. */
export interface TextTarget {
  coll: Collection | undefined;
  ns: string;
  /** The planner's choice: reuse each document's cached term scores (fast paths) or compute them. */
  cached?: boolean;
}

interface TextParams {
  search: string;
  language: string;
  caseSensitive: boolean;
  diacriticSensitive: boolean;
}

function wrongType(field: string, expected: string, value: unknown): CommandError {
  return new CommandError(ErrorCodes.TypeMismatch, `"${field}" had the wrong type. Expected ${expected}, found ${bsonTypeName(value)}`);
}

/** The operand of `$text`, checked as mongod checks it (extractTextMatchExpressionParams). */
function parseParams(value: unknown): TextParams {
  if (!isPlainObject(value)) throw new CommandError(ErrorCodes.BadValue, '$text expects an object');
  if (!('$search' in value)) throw new CommandError(ErrorCodes.NoSuchKey, 'Missing expected field "$search"');
  if (typeof value.$search !== 'string') throw wrongType('$search', 'string', value.$search);
  let expected = 1;
  const params: TextParams = { search: value.$search, language: '', caseSensitive: false, diacriticSensitive: false };
  if ('$language' in value) {
    if (typeof value.$language !== 'string') throw wrongType('$language', 'string', value.$language);
    params.language = value.$language;
    expected++;
  }
  for (const flag of ['$caseSensitive', '$diacriticSensitive'] as const) {
    if (!(flag in value)) continue;
    if (typeof value[flag] !== 'boolean') throw wrongType(flag, 'bool', value[flag]);
    params[flag === '$caseSensitive' ? 'caseSensitive' : 'diacriticSensitive'] = value[flag];
    expected++;
  }
  if (Object.keys(value).length !== expected) throw new CommandError(ErrorCodes.BadValue, 'extra fields in $text');
  return params;
}

/** Whether an expression holds a `$text` key anywhere (DocumentSourceMatch::isTextQuery). */
export function mentionsText(expr: unknown): boolean {
  if (Array.isArray(expr)) return expr.some(mentionsText);
  if (!isPlainObject(expr)) return false;
  return Object.entries(expr).some(([k, v]) => k === '$text' || mentionsText(v));
}

type Place = 'top' | 'or' | 'nor';

/** The `$text` clauses of a filter and where they sit; `$text` in an `$elemMatch` is refused as mongod refuses it. */
function findClauses(filter: Doc, place: Place, out: Array<{ value: unknown; place: Place; orBranches?: unknown[] }>, branches?: unknown[]): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$text') out.push({ value, place, orBranches: branches });
    else if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      const next: Place = key === '$nor' || place === 'nor' ? 'nor' : key === '$or' || place === 'or' ? 'or' : 'top';
      for (const sub of value) if (isPlainObject(sub)) findClauses(sub, next, out, key === '$or' ? value : branches);
    } else if (!key.startsWith('$') && isPlainObject(value) && isPlainObject(value.$elemMatch) && mentionsText(value.$elemMatch)) {
      throw new CommandError(ErrorCodes.BadValue, '$text can only be applied to the top-level document');
    }
  }
}

/** The filter without its top-level `$text` (also inside top-level `$and`s), for mingo. */
function withoutText(filter: Doc): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$text') continue;
    out[key] = key === '$and' && Array.isArray(value) ? value.map((v) => (isPlainObject(v) ? withoutText(v) : v)) : value;
  }
  return out;
}

/** Whether a filter has a `$text` query (so textScore metadata exists). */
export function hasText(filter: Doc | undefined): boolean {
  if (!filter) return false;
  const found: Array<{ value: unknown; place: Place }> = [];
  findClauses(filter, 'top', found);
  return found.length > 0;
}

/** A clause on a field that a hash index (or `_id`) could answer: what mongod needs of every other `$or` branch. */
function indexable(branch: unknown, coll: Collection | undefined): boolean {
  if (!isPlainObject(branch)) return false;
  return Object.keys(branch).some(
    (field) =>
      !field.startsWith('$') && (field === '_id' || (coll?.indexes.some((i) => !i.text && !i.geo && i.spec.hidden !== true && i.fields[0] === field) ?? false)),
  );
}

/** The collection's text index, as mongod finds it (27 without one). */
function textIndexOf(target: TextTarget): SecondaryIndex & { text: TextSpec } {
  if (!target.coll) throw new CommandError(ErrorCodes.IndexNotFound, `text index required for $text query (no such collection '${target.ns}')`);
  const index = target.coll.indexes.find((i) => i.text);
  if (!index) throw new CommandError(ErrorCodes.IndexNotFound, 'text index required for $text query');
  return index as SecondaryIndex & { text: TextSpec };
}

/**
 * Splits a filter into its `$text` (compiled against the collection's text index) and the
 * rest, refusing placements mongod refuses: two `$text`s, `$text` under `$nor`, and under
 * `$or` (which mongod answers only when every other branch is indexed; not this server).
 */
export function splitTextFilter(filter: Doc, target: TextTarget | undefined): { text: TextMatcher | undefined; rest: Doc } {
  const clauses: Array<{ value: unknown; place: Place; orBranches?: unknown[] }> = [];
  findClauses(filter, 'top', clauses);
  if (clauses.length === 0) return { text: undefined, rest: filter };
  const params = clauses.map((c) => parseParams(c.value));
  if (!target) throw new CommandError(ErrorCodes.NotImplemented, '$text is not supported here by the embedded server');
  const index = textIndexOf(target);
  const text = new TextMatcher(index.text, params[0]!, target.cached === true);
  if (clauses.length > 1) throw new CommandError(ErrorCodes.BadValue, 'Too many text expressions');
  const clause = clauses[0]!;
  if (clause.place === 'nor') throw new CommandError(ErrorCodes.BadValue, 'text expression not allowed in nor');
  if (clause.place === 'or') {
    const others = (clause.orBranches ?? []).filter((b) => !(isPlainObject(b) && mentionsText(b)));
    if (others.every((b) => indexable(b, target.coll)))
      throw new CommandError(ErrorCodes.NotImplemented, '$text inside $or is not supported by the embedded server');
    throw new CommandError(
      ErrorCodes.BadValue,
      'error processing query: planner returned error :: caused by :: Failed to produce a solution for TEXT under OR - other non-TEXT clauses under OR have to be indexed as well.',
    );
  }
  return { text, rest: withoutText(filter) };
}

/** The query's terms and phrases (FTSQueryImpl::parse). */
interface ParsedQuery {
  termsForBounds: Set<string>;
  sortedTerms: string[];
  positiveTerms: Set<string>;
  negatedTerms: Set<string>;
  positivePhrases: string[];
  negatedPhrases: string[];
}

/** The query parser's kinds of character (FTSQueryParser::getType): note that a tab is text. */
function kind(c: string): 'space' | 'delimiter' | 'text' {
  if (c === ' ' || c === '\n' || c === '\v' || c === '\f' || c === '\r') return 'space';
  return c === '-' || c === '"' ? 'delimiter' : 'text';
}

function parseQuery(search: string, language: TextLanguage, caseSensitive: boolean, diacriticSensitive: boolean): ParsedQuery {
  const q: ParsedQuery = {
    termsForBounds: new Set(),
    sortedTerms: [],
    positiveTerms: new Set(),
    negatedTerms: new Set(),
    positivePhrases: [],
    negatedPhrases: [],
  };
  let positive = '';
  let negative = '';
  let inNegation = false;
  let inPhrase = false;
  let quoteAt = 0;
  let pos = 0;
  const skipSpace = (): boolean => {
    const start = pos;
    while (pos < search.length && kind(search[pos]!) === 'space') pos++;
    return pos > start;
  };
  skipSpace();
  let previousSpace = true;
  while (pos < search.length) {
    const start = pos++;
    const type = kind(search[start]!);
    if (type === 'text') while (pos < search.length && kind(search[pos]!) === 'text') pos++;
    const token = search.slice(start, pos);
    const spaceBefore = previousSpace;
    previousSpace = skipSpace();
    if (type === 'text') {
      if (inPhrase && inNegation) continue;
      // A negation lasts until the next whitespace: "-foo-bar" negates both, "- foo" neither.
      if (inNegation && spaceBefore) inNegation = false;
      if (inNegation) negative += `${token} `;
      else positive += `${token} `;
    } else if (token === '-') {
      if (!inPhrase && spaceBefore) inNegation = true;
    } else if (inPhrase) {
      const phrase = search.slice(quoteAt + 1, start);
      (inNegation ? q.negatedPhrases : q.positivePhrases).push(phrase);
      inPhrase = false;
    } else {
      inPhrase = true;
      if (inNegation && spaceBefore) inNegation = false;
      quoteAt = start;
    }
  }
  const insensitive: TokenOptions = { filterStopWords: true, caseSensitive: false, diacriticSensitive: false };
  const sensitive: TokenOptions = { filterStopWords: true, caseSensitive, diacriticSensitive };
  for (const term of tokenize(positive, language, insensitive)) q.termsForBounds.add(term);
  q.sortedTerms = [...q.termsForBounds].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const [sentence, active] of [
    [positive, q.positiveTerms],
    [negative, q.negatedTerms],
  ] as const) {
    for (const term of tokenize(sentence, language, caseSensitive || diacriticSensitive ? sensitive : insensitive)) active.add(term);
  }
  return q;
}

/** A compiled `$text`: tests a document and records its score for `{ $meta: 'textScore' }`. */
export class TextMatcher {
  private readonly spec: TextSpec;
  private readonly query: ParsedQuery;
  private readonly caseSensitive: boolean;
  private readonly diacriticSensitive: boolean;
  private readonly cached: boolean;

  constructor(spec: TextSpec, params: TextParams, cached: boolean) {
    this.spec = spec;
    this.caseSensitive = params.caseSensitive;
    this.diacriticSensitive = params.diacriticSensitive;
    this.cached = cached;
    const name = params.language === '' ? spec.defaultLanguage : params.language;
    const canonical = canonicalLanguage(name);
    if (!canonical) throw new CommandError(ErrorCodes.BadValue, `unsupported language: "${name}" for text index version 3`);
    this.query = parseQuery(params.search, searchableLanguage(canonical), params.caseSensitive, params.diacriticSensitive);
  }

  test(doc: Doc): boolean {
    const q = this.query;
    if (q.termsForBounds.size === 0) return false;
    const scores = this.cached ? this.spec.cachedScores(doc) : this.spec.scoreDocument(doc);
    let score = 0;
    let found = false;
    // Summed in term order, as mongod's TEXT_OR adds up the index keys it scans.
    for (const term of q.sortedTerms) {
      const s = scores.get(term);
      if (s !== undefined) {
        found = true;
        score += s;
      }
    }
    if (!found) return false;
    if (!this.caseSensitive && !this.diacriticSensitive && q.negatedTerms.size === 0 && q.positivePhrases.length === 0 && q.negatedPhrases.length === 0) {
      recordTextScore(doc, score);
      return true;
    }
    const strings = this.spec.strings(doc);
    // The matcher's own tokenizing keeps stop words and the asked-for case and diacritics.
    const options: TokenOptions = { filterStopWords: false, caseSensitive: this.caseSensitive, diacriticSensitive: this.diacriticSensitive };
    const tokens = (): string[][] => strings.map((s) => tokenize(s.text, searchableLanguage(s.language), options));
    let docTokens: string[][] | undefined;
    if (this.caseSensitive || this.diacriticSensitive) {
      docTokens = tokens();
      if (!docTokens.some((ts) => ts.some((t) => q.positiveTerms.has(t)))) return false;
    }
    if (q.negatedTerms.size > 0) {
      // Case- and diacritic-insensitive, a negated term (never a stop word) is one of the document's scored terms.
      if (!this.caseSensitive && !this.diacriticSensitive) {
        for (const t of q.negatedTerms) if (scores.has(t)) return false;
      } else if ((docTokens ??= tokens()).some((ts) => ts.some((t) => q.negatedTerms.has(t)))) return false;
    }
    const phrase = (p: string): boolean => strings.some((s) => containsPhrase(s.text, p, this.caseSensitive, this.diacriticSensitive));
    if (!q.positivePhrases.every(phrase)) return false;
    if (q.negatedPhrases.some(phrase)) return false;
    recordTextScore(doc, score);
    return true;
  }
}
