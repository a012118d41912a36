import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, type Doc } from '../documents.ts';
import { checkTime } from './time-budget.ts';
import { INDEX_TOKENS, tokenize, type TextLanguage } from './text-tokens.ts';

/**
 * A text index as mongod keeps it (fts_spec.cpp): the key `{ _fts: 'text', _ftsx: 1 }`, the
 * fields and their weights, the default language, the name of the field that overrides it in
 * a document (or a sub-document), and textIndexVersion 3. Only English and `none` can be
 * searched here; MongoDB's other languages are refused (238), unknown ones as mongod does.
 */

/** mongod's limit on a weight, MAX_WEIGHT / 10 000. */
const MAX_WORD_WEIGHT = 100000;
const WILDCARD = '$**';

/** Every language version 3 knows, by its canonical name and two-letter alias (fts_language.cpp). */
const MONGO_LANGUAGES: Record<string, string> = {
  none: 'none',
  danish: 'danish',
  da: 'danish',
  dutch: 'dutch',
  nl: 'dutch',
  english: 'english',
  en: 'english',
  finnish: 'finnish',
  fi: 'finnish',
  french: 'french',
  fr: 'french',
  german: 'german',
  de: 'german',
  hungarian: 'hungarian',
  hu: 'hungarian',
  italian: 'italian',
  it: 'italian',
  norwegian: 'norwegian',
  nb: 'norwegian',
  portuguese: 'portuguese',
  pt: 'portuguese',
  romanian: 'romanian',
  ro: 'romanian',
  russian: 'russian',
  ru: 'russian',
  spanish: 'spanish',
  es: 'spanish',
  swedish: 'swedish',
  sv: 'swedish',
  turkish: 'turkish',
  tr: 'turkish',
};

/** A language name's canonical form (case-insensitive, as mongod compares them), or undefined when MongoDB has no such language. */
export function canonicalLanguage(name: string): string | undefined {
  return Object.hasOwn(MONGO_LANGUAGES, name.toLowerCase()) ? MONGO_LANGUAGES[name.toLowerCase()] : undefined;
}

/** A language the embedded server can search, or 238 for one MongoDB has but this server lacks a stemmer for. */
export function searchableLanguage(canonical: string): TextLanguage {
  if (canonical === 'english' || canonical === 'none') return canonical;
  throw new CommandError(ErrorCodes.NotImplemented, `text search in '${canonical}' is not supported by the embedded server (only english and none)`);
}

function cannotCreate(message: string): CommandError {
  return new CommandError(ErrorCodes.CannotCreateIndex, message);
}

/** Whether an index key pattern asks for a text index. */
export function isTextKey(key: unknown): boolean {
  return isPlainObject(key) && Object.entries(key).some(([field, v]) => v === 'text' || field === '_fts');
}

/**
 * The stored form of a text index spec (fixSpec): text fields become `_fts`/`_ftsx` and
 * weights (integers, as mongod truncates them, sorted by field), defaults filled in. Accepts
 * a spec already in that form (loaded from storage, or from listIndexes).
 */
export function normalizeTextSpec(spec: Doc): Doc {
  const key = spec.key as Doc;
  const weights = new Map<string, number>();
  const keyOut: Doc = {};
  for (const [field, value] of Object.entries(key)) {
    if (field === '_fts') {
      if (value !== 'text') throw cannotCreate('expecting _fts:"text"');
      keyOut._fts = 'text';
    } else if (field === '_ftsx') {
      if (value !== 1) throw cannotCreate('expecting _ftsx:1');
      keyOut._ftsx = 1;
    } else if (value === 'text') {
      if (field === '_fts' || field === '_ftsx') throw cannotCreate('text index with reserved fields _fts/_ftsx not allowed');
      keyOut._fts = 'text';
      keyOut._ftsx = 1;
      weights.set(field, 1);
    } else {
      if (value !== 1 && value !== -1) throw cannotCreate('expected value 1 or -1 for non-text key in compound index');
      // mongod supports ascending/descending keys before and after the text fields (with equality on the prefix in every $text query); not this server.
      throw new CommandError(ErrorCodes.NotImplemented, 'compound text indexes (with ascending or descending keys) are not supported by the embedded server');
    }
  }
  const textFields = Object.entries(key)
    .filter(([, v]) => v === 'text')
    .map(([f]) => f);
  if (textFields.length > 0) {
    const at = Object.keys(key).indexOf(textFields[0]!);
    if (
      Object.keys(key)
        .slice(at, at + textFields.length)
        .some((f) => key[f] !== 'text')
    )
      throw cannotCreate("'text' fields in index must all be adjacent");
  }
  if (isPlainObject(spec.weights)) {
    for (const [field, w] of Object.entries(spec.weights)) {
      if (typeof w !== 'number') throw cannotCreate('weight for text index needs numeric type');
      weights.set(field, Math.trunc(w));
    }
  } else if (spec.weights === WILDCARD) weights.set(WILDCARD, 1);
  else if (spec.weights !== undefined) throw cannotCreate("text index option 'weights' must be an object");
  if (weights.size === 0) throw cannotCreate("text index option 'weights' must specify fields or the wildcard");
  const sorted: Doc = {};
  for (const field of [...weights.keys()].sort()) {
    const w = weights.get(field)!;
    if (!(w > 0 && w < MAX_WORD_WEIGHT)) throw cannotCreate(`text index weight must be in the exclusive interval (0,${MAX_WORD_WEIGHT}) but found: ${w}`);
    if (field !== WILDCARD) {
      const parts = field.split('.');
      if (field === '') throw cannotCreate('weight cannot be on an empty field');
      if (parts.some((p) => p === '')) throw cannotCreate('weight cannot have empty path component');
      if (parts.some((p) => p.startsWith('$'))) throw cannotCreate('weight cannot have path component with $ prefix');
    }
    sorted[field] = w;
  }
  const language = spec.default_language ?? 'english';
  if (typeof language !== 'string') throw cannotCreate('default_language needs a string type');
  const canonical = canonicalLanguage(language);
  if (!canonical) throw cannotCreate('default_language is not valid');
  searchableLanguage(canonical);
  const override = spec.language_override ?? 'language';
  if (typeof override !== 'string') throw cannotCreate('language_override must be a string');
  if (override === '' || override.startsWith('$') || override.includes('.')) throw cannotCreate('language_override is not valid');
  const version = spec.textIndexVersion ?? 3;
  if (typeof version !== 'number') throw cannotCreate("text index option 'textIndexVersion' must be a number");
  // Version 2 (and 1) tokenize differently (ASCII delimiters, no diacritic folding): not here.
  if (version === 2) throw new CommandError(ErrorCodes.NotImplemented, 'textIndexVersion 2 is not supported by the embedded server (version 3 is)');
  if (version !== 3) throw cannotCreate(`bad textIndexVersion: ${Math.trunc(version)}`);
  const { key: _k, weights: _w, default_language: _d, language_override: _o, textIndexVersion: _t, ...rest } = spec;
  return { ...rest, key: keyOut, weights: sorted, default_language: language, language_override: override, textIndexVersion: 3 };
}

/** One string an index reads from a document, with its language and weight. */
interface IndexedString {
  text: string;
  language: string;
  weight: number;
}

/** A document's text as an index scores it: term → score (scoreDocument). */
export type TermScores = Map<string, number>;

/** A text index's reading of documents (fts_spec.cpp, fts_element_iterator.cpp). */
export class TextSpec {
  readonly weights: Map<string, number>;
  readonly wildcard: boolean;
  readonly defaultLanguage: string;
  readonly languageOverride: string;
  /** Term scores of stored documents, which are never edited in place (a change stores a new object). */
  private readonly cache = new WeakMap<Doc, TermScores>();
  /** Field names in order, for the lower-bound lookups mongod makes. */
  private readonly sortedFields: string[];

  constructor(spec: Doc) {
    const weights = spec.weights as Record<string, number>;
    this.wildcard = WILDCARD in weights;
    this.weights = new Map(Object.entries(weights).filter(([f]) => f !== WILDCARD));
    this.sortedFields = [...this.weights.keys()].sort();
    this.defaultLanguage = canonicalLanguage(spec.default_language as string)!;
    this.languageOverride = spec.language_override as string;
  }

  /** The language of a (sub-)document: its override field, or the one it inherits (17261, 17262 as mongod). */
  private languageOf(doc: Doc, inherited: string): string {
    if (!Object.hasOwn(doc, this.languageOverride)) return inherited;
    const value = doc[this.languageOverride];
    if (typeof value !== 'string') throw new CommandError(17261, 'found language override field in document with non-string type');
    const canonical = canonicalLanguage(value);
    if (!canonical) throw new CommandError(17262, `language override unsupported: ${value}`);
    return canonical;
  }

  /** The first field name not below `name` (std::map::lower_bound), or undefined. */
  private lowerBound(name: string): string | undefined {
    return this.sortedFields.find((f) => f >= name);
  }

  /**
   * The strings the index reads, as FTSElementIterator walks the document: fields named by
   * a weight (or every string, with the wildcard), through sub-documents and one level of
   * arrays; a sub-document's override field sets the language below it.
   */
  strings(doc: Doc): IndexedString[] {
    const out: IndexedString[] = [];
    const walk = (obj: Doc | unknown[], parentPath: string, isArray: boolean, language: string): void => {
      const entries: Array<[string, unknown]> = Array.isArray(obj) ? obj.map((v, i) => [String(i), v]) : Object.entries(obj);
      for (const [name, value] of entries) {
        if (this.wildcard && name === this.languageOverride) continue;
        const path = parentPath === '' ? name : isArray ? parentPath : `${parentPath}.${name}`;
        const bound = this.lowerBound(isPlainObject(value) ? `${path}.` : path);
        if (!this.wildcard && (bound === undefined || !(bound === path || bound.startsWith(`${path}.`)))) continue;
        const exact = bound === path;
        // mongod takes the weight found by the lower bound even when it is another field's (with the wildcard too).
        const weight = bound !== undefined ? this.weights.get(bound)! : 1;
        if (typeof value === 'string') {
          if (exact || this.wildcard) out.push({ text: value, language, weight });
        } else if (isPlainObject(value)) {
          if (!exact || this.wildcard) walk(value, path, false, this.languageOf(value, language));
        } else if (Array.isArray(value)) {
          if (!isArray || this.wildcard) walk(value, path, true, language);
        }
      }
    };
    walk(doc, '', false, this.languageOf(doc, this.defaultLanguage));
    return out;
  }

  /** Throws as mongod does when a document cannot be indexed (an override that is not a language). */
  check(doc: Doc): void {
    this.strings(doc);
  }

  /** scoreDocument, remembered per stored document (the planner's fast path). */
  cachedScores(doc: Doc): TermScores {
    let scores = this.cache.get(doc);
    if (!scores) {
      scores = this.scoreDocument(doc);
      this.cache.set(doc, scores);
    }
    return scores;
  }

  /**
   * The document's score per term (_scoreStringV2): per string, each term's frequency with
   * repeats damped (1 + 1/2 + 1/4 …), times 0.5 + 0.5·count/tokens, times the weight, times
   * 1.1 when the whole string is the term; summed over the strings.
   */
  scoreDocument(doc: Doc): TermScores {
    const scores: TermScores = new Map();
    for (const s of this.strings(doc)) {
      checkTime();
      const terms = tokenize(s.text, searchableLanguage(s.language), INDEX_TOKENS);
      const seen = new Map<string, { count: number; freq: number; exp: number }>();
      for (const term of terms) {
        const data = seen.get(term) ?? { count: 0, freq: 0, exp: 0 };
        data.exp = data.exp ? data.exp * 2 : 1;
        data.count += 1;
        data.freq += 1 / data.exp;
        seen.set(term, data);
      }
      for (const [term, data] of seen) {
        const coeff = (0.5 * data.count) / terms.length + 0.5;
        const adjustment = s.text.length === term.length && asciiLower(s.text) === asciiLower(term) ? 1.1 : 1;
        scores.set(term, (scores.get(term) ?? 0) + s.weight * data.freq * coeff * adjustment);
      }
    }
    return scores;
  }
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
