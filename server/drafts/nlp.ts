/**
 * What the drafts need of natural-language processing, on top of compromise (docs/drafts.md says
 * why compromise): a passage's sentences and its typed spans (people, places, organisations,
 * dates, years, numbers, percentages), each with offsets into the passage text so that a key is
 * always the passage's own words. compromise is noisy (trailing commas, possessives, "In June
 * 2001,"), so every span is trimmed to its core and re-read from the passage.
 */
import nlp from 'compromise';

export const SPAN_KINDS = ['person', 'place', 'organisation', 'date', 'year', 'number', 'percent'] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

/** A typed mention in a passage: `text === passage.slice(start, end)`. */
export interface Span {
  kind: SpanKind;
  text: string;
  start: number;
  end: number;
  /** Years, numbers and percentages: the value the words say. */
  value?: number;
  /** Places: country, city or region, so a country is offered among countries. */
  sub?: 'country' | 'city' | 'region';
}

/** A sentence of a passage with the spans inside it (offsets are into the passage). */
export interface Sentence {
  text: string;
  start: number;
  end: number;
  spans: Span[];
}

interface Match {
  text: string;
  offset: { start: number; length: number };
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  hundred: 100,
};

const LEADING = /^(?:(?:in|by|on|since|from|until|till|during|at|of|before|after|around|about|some|nearly|almost|over|the|a|an)\s+|[\s‘’'"“”(—–-])+/i;
const TRAILING = /(?:[’']s|[\s,.;:!?)’'"“”—–-])+$/;
const YEAR = /\b(?:1[6-9]|20)\d\d(?:[’']?s)?(?![\d%])/g;
const PERCENT = /\b\d+(?:\.\d+)?(?:%|\s?per ?cent\b)/gi;
const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December)';
const DATE = new RegExp(
  `\\b(?:(?:early|mid|late)[- ](?:${MONTH}\\s+)?(?:1[6-9]|20)\\d\\d(?:[’']?s)?|(?:\\d{1,2}\\s+)?${MONTH}\\s+(?:1[6-9]|20)\\d\\d)\\b`,
  'g',
);
const ORG_WORDS =
  /\b(?:Organi[sz]ation|Council|Forum|Union|Association|Treaty|Alliance|Bank|Agency|Police|Ministry|Department|Committee|Secretariat|Structure|Group|Institute|Partnership|Nations|Community|Conference|Summit|Party|Army|Force|Forces)\b/;

/** Cuts a compromise match down to its core words and re-reads it from the passage. */
function trimmed(text: string, start: number, end: number): { start: number; end: number } | null {
  let s = start;
  let e = end;
  for (;;) {
    const lead = LEADING.exec(text.slice(s, e));
    if (!lead || !lead[0]) break;
    s += lead[0].length;
  }
  const trail = TRAILING.exec(text.slice(s, e));
  if (trail) e -= trail[0].length;
  return e > s ? { start: s, end: e } : null;
}

function numberValue(words: string): number | undefined {
  const digits = words.replace(/,(?=\d{3}\b)/g, '').match(/\d+(?:\.\d+)?/);
  if (digits) return Number(digits[0]);
  return NUMBER_WORDS[words.toLowerCase()];
}

function regexSpans(text: string, re: RegExp, kind: SpanKind): Span[] {
  return [...text.matchAll(re)].map((m) => {
    const raw = m[0];
    const start = m.index;
    const end = start + raw.length;
    return { kind, text: raw, start, end, ...(kind === 'date' ? {} : { value: numberValue(raw) }) };
  });
}

/** Capitalised words only (with "of", "for", "and", "the" between them): not "Sino–Russian military". */
const PROPER = /^[A-Z][\p{L}’'&.-]*(?:\s+(?:(?:of|for|and|the|on|in)\s+)*[A-Z][\p{L}’'&.-]*)*$/u;
/** An adjective of a people or region ("Chinese", "Central Asian") names no actor. */
const DEMONYM = /(?:ese|ian|ish)$/;

function entitySpans(text: string, matches: Match[], kind: SpanKind): Span[] {
  const out: Span[] = [];
  for (const m of matches) {
    // A list tagged as one place ("China, Russia, Kazakhstan") is one span per name.
    const begin = m.offset.start;
    const whole = text.slice(begin, begin + m.offset.length);
    for (const part of whole.matchAll(/[^,;]+/g)) {
      let s = begin + part.index;
      let e = s + part[0].length;
      const andAt = /\s+and\s+/.exec(text.slice(s, e));
      const pieces = andAt
        ? [
            [s, s + andAt.index],
            [s + andAt.index + andAt[0].length, e],
          ]
        : [[s, e]];
      for (const [ps, pe] of pieces) {
        const t = trimmed(text, ps!, pe!);
        if (!t) continue;
        s = t.start;
        e = t.end;
        const words = text.slice(s, e);
        if (!PROPER.test(words) || words.length < 2) continue;
        if (DEMONYM.test(words.split(' ').pop()!) && words !== words.toUpperCase()) continue;
        out.push({ kind, text: words, start: s, end: e });
      }
    }
  }
  return out;
}

/** "Full Name (ABBR)": the name and the abbreviation, both organisations (or places) named by the passage. */
const DEFINED_ABBREVIATION = /((?:[A-Z][\p{L}’'-]*\s+(?:(?:of|for|and|the|on|in)\s+)*){1,8}[A-Z][\p{L}’'-]*)\s*\(([A-Z][A-Za-z0-9&]{1,11})\)/gu;

/** Abbreviations a text defines, by abbreviation: "WHO" → "World Health Organization". */
export function definedAbbreviations(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(DEFINED_ABBREVIATION)) {
    const abbr = m[2]!;
    const name = m[1]!.split(/\s+/);
    // Drop leading words the abbreviation does not start with ("In August 2007, the World …").
    while (name.length > 1 && name[0]![0] !== abbr[0]) name.shift();
    const full = name.join(' ').replace(/[’']+$/, '');
    if (name.length > 1) out.set(abbr, full);
  }
  return out;
}

function abbreviationSpans(text: string, abbreviations: ReadonlyMap<string, string>): Span[] {
  const out: Span[] = [];
  for (const [abbr, name] of abbreviations) {
    for (const token of [abbr, name]) {
      const re = new RegExp(`(?<![\\p{L}\\p{N}])${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'gu');
      for (const m of text.matchAll(re)) out.push({ kind: 'organisation', text: m[0], start: m.index, end: m.index + m[0].length });
    }
  }
  return out;
}

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/** Keeps the longest span of each kind where spans of that kind overlap; kinds may overlap each other (a year inside a date). */
function distinct(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Span[] = [];
  for (const s of sorted) {
    const clash = kept.some((k) => overlaps(k, s) && (k.kind === s.kind || (isNamed(k.kind) === isNamed(s.kind) && isNamed(s.kind))));
    if (!clash) kept.push(s);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

const isNamed = (k: SpanKind) => k === 'person' || k === 'place' || k === 'organisation';

/**
 * The sentences of a passage and its typed spans. `abbreviations` are the ones the whole document
 * defines (definedAbbreviations), so "WHO" is an organisation in every passage, not only the first.
 */
export function analysePassage(text: string, abbreviations: ReadonlyMap<string, string> = definedAbbreviations(text)): Sentence[] {
  const doc = nlp(text);
  const json = (view: { json: (o: object) => unknown }) => view.json({ offset: true, terms: false }) as Match[];
  const orgs = [...abbreviationSpans(text, abbreviations), ...entitySpans(text, json(doc.organizations()), 'organisation')];
  const proper = entitySpans(text, json(doc.match('#ProperNoun+')), 'organisation').filter((s) => ORG_WORDS.test(s.text));
  const countries = new Set(json(doc.match('#Country+')).map((m) => m.text.replace(TRAILING, '')));
  const cities = new Set(json(doc.match('#City+')).map((m) => m.text.replace(TRAILING, '')));
  const places = entitySpans(text, json(doc.places()), 'place').map((p) => ({
    ...p,
    sub: countries.has(p.text) ? ('country' as const) : cities.has(p.text) ? ('city' as const) : ('region' as const),
  }));
  const people = entitySpans(text, json(doc.people()), 'person').filter((s) => s.text !== 'President');
  const numbers = json(doc.numbers()).flatMap((m) => {
    const t = trimmed(text, m.offset.start, m.offset.start + m.offset.length);
    if (!t) return [];
    const words = text.slice(t.start, t.end);
    const value = numberValue(words);
    return value === undefined || /^(?:1[6-9]|20)\d\d/.test(words) || /%|per ?cent/i.test(words)
      ? []
      : [{ kind: 'number' as const, text: words, start: t.start, end: t.end, value }];
  });
  const placeNames = new Set(places.map((p) => p.text));
  const dated = [...regexSpans(text, DATE, 'date'), ...regexSpans(text, PERCENT, 'percent')];
  const spans = distinct([
    ...orgs.filter((o) => !placeNames.has(o.text)),
    ...proper,
    ...places.filter((p) => !orgs.some((o) => overlaps(o, p))),
    ...people,
    ...dated,
    ...regexSpans(text, YEAR, 'year'),
    ...numbers.filter((n) => !dated.some((d) => overlaps(d, n)) && (!/^\d+$/.test(n.text) || n.value! < 1000 || n.value! > 2100)),
  ]);
  // Sentence offsets found with indexOf: compromise's own offsets cost a third of the run here.
  let cursor = 0;
  const sentences: Sentence[] = [];
  for (const raw of doc.sentences().out('array') as string[]) {
    const piece = raw.trim();
    const at = piece ? text.indexOf(piece, cursor) : -1;
    if (at < 0) continue;
    cursor = at + piece.length;
    sentences.push({ text: piece, start: at, end: cursor, spans: spans.filter((s) => s.start >= at && s.end <= cursor) });
  }
  return sentences;
}
