import { orderConnective } from '../../banks/quality/structure.ts';
import type { Sentence, Span } from '../nlp.ts';
import { hashOf, suggestLevel, suggestTopics, type Draft, type DocumentIndex, type SourcePassage } from '../draft.ts';
import { MAX_SENTENCE } from './blanks.ts';
import { citeMost } from './cite.ts';

/** Fewest and most events in one draft (the definition takes three to ten). */
export const MIN_EVENTS = 3;
export const MAX_EVENTS = 6;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** A stretch of time in years, `from` inclusive, `to` exclusive. */
export interface Interval {
  from: number;
  to: number;
}

/**
 * The stretch of time a date or year names: "2005" → [2005, 2006), "June 2001" → [2001.42, 2001.5),
 * "late 1990’s" → [1996, 2000), "mid-2005" → [2005.25, 2005.75). Wide enough that two events are
 * put in order only when the document's dates leave no doubt.
 */
export function intervalOf(text: string): Interval | null {
  const year = /(?:1[6-9]|20)\d\d/.exec(text);
  if (!year) return null;
  const y = Number(year[0]);
  const lower = text.toLowerCase();
  const part = /^(?:the\s+)?(early|mid|late)\b/.exec(lower)?.[1];
  if (/\d0[’']?s\b/.test(text)) {
    return part === 'early'
      ? { from: y, to: y + 4 }
      : part === 'mid'
        ? { from: y + 3, to: y + 8 }
        : part === 'late'
          ? { from: y + 6, to: y + 10 }
          : { from: y, to: y + 10 };
  }
  const month = MONTHS.findIndex((m) => lower.includes(m));
  if (month >= 0) {
    const day = Number(/^(\d{1,2})\s/.exec(text)?.[1] ?? 0);
    const from = y + month / 12;
    return day ? { from: from + (day - 1) / 372, to: from + day / 372 } : { from, to: from + 1 / 12 };
  }
  return part === 'early'
    ? { from: y, to: y + 0.5 }
    : part === 'mid'
      ? { from: y + 0.25, to: y + 0.75 }
      : part === 'late'
        ? { from: y + 0.5, to: y + 1 }
        : { from: y, to: y + 1 };
}

interface Event {
  item: string;
  /** The date as the document writes it, and the stretch of time it allows for the event. */
  date: string;
  when: Interval;
  passage: SourcePassage;
  sentence: Sentence;
}

/** The preposition before a date, and the article a decade takes ("in June 2001", "by the late 1990’s"). */
const FRAME = /(?:^|\s)(in|on|during|by|before|after)\s+(the\s+)?$/i;
/** A clause that holds the date but is not the sentence's event ("…, which the UN had set up in 1957"). */
const SUBORDINATE = /\b(?:which|who|whom|whose|where|when|while|whilst|although|though|because|since|until|unless|if|whereas|that|after|before|once)\b/i;
/** Openers that lean on the sentence before. */
const LEANING =
  /^(?:It|Its|This|These|That|Those|They|Their|Them|Such|He|She|His|Her|We|Our|Both|Each|The latter|The former|In this regard|For instance|For example|In short|To this end|Towards this end)\b/;
/** Words that place an event against the others without its date ("that year", "later", "the first"). */
const RELATIVE_TIME =
  /\b(?:(?:that|the same|the following|the next|the previous|the preceding)\s+(?:year|month|decade|summer|winter|spring|autumn)|earlier|later|subsequently|previously|afterwards|thereafter|recently|first|second|last|latest|final|finally|then|already|so far|to date)\b/i;
/** A month left in an item would date it ("May" is too often the verb to tell). */
const MONTH_WORD = new RegExp(`\\b(?:${MONTHS.filter((m) => m !== 'may').join('|')})\\b`, 'i');
const MODAL = /\b(?:will|would|shall|could|might|may|should|must)\b/i;
/** A connective left at the front once the date is cut ("In mid-2005 however, the council …"). */
const CONNECTIVE = /^(?:however|thus|instead|yet|so|but|and|also|then|meanwhile|therefore|moreover|furthermore|nonetheless|nevertheless)\b,?\s*/i;

/** The stretch of time an event falls in, from its date and the word before it: "by 2001" is any time up to 2001's end. */
function framed(prep: string, when: Interval): Interval | null {
  switch (prep.toLowerCase()) {
    case 'by':
      return { from: -Infinity, to: when.to };
    case 'before':
      return { from: -Infinity, to: when.from };
    case 'after':
      return { from: when.to, to: Infinity };
    default:
      return when;
  }
}

/**
 * The event a sentence dates, its date cut out and the rest in the document's words: "In June 2001,
 * Uzbekistan joined …" → "Uzbekistan joined …". Only a date that frames the sentence's own event
 * counts: one date in the sentence, after "in/on/during/by/before/after", not naming a thing ("the
 * 2005 declaration") and not inside a clause of its own ("…, which was set up in 1957").
 */
export function eventOf(passage: SourcePassage, sentence: Sentence): Event | null {
  if (sentence.text.length > MAX_SENTENCE) return null;
  const dated = sentence.spans.filter((s) => s.kind === 'date' || s.kind === 'year');
  const widest = dated.filter((s) => !dated.some((o) => o !== s && o.start <= s.start && o.end >= s.end));
  if (widest.length !== 1) return null;
  const span: Span = widest[0]!;
  const raw = passage.text.slice(sentence.start, span.start);
  const frame = FRAME.exec(raw);
  if (!frame) return null;
  // "during the 2006 council summit" names the summit; "by the late 1990’s" dates the event.
  if (frame[2] && !/^(?:early|mid|late)\b|\d[’']?s$/i.test(span.text)) return null;
  const main = raw.slice(0, frame.index);
  const after = passage.text.slice(span.end, sentence.end);
  // Inside the sentence, the date must sit in its first clause: after a comma it may date an aside.
  if (SUBORDINATE.test(main) || /[,;:—–]/.test(main) || /^[’']s\b/.test(after)) return null;
  const interval = intervalOf(span.text);
  const when = interval && framed(frame[1]!, interval);
  if (!when) return null;
  // At the front, the date and its comma go; inside, the comma after it stays ("Laos built the dam, although …").
  let item = main.trim() ? `${main.trimEnd()}${after}` : after.replace(/^\s*,?\s*/, '');
  item = item
    .replace(CONNECTIVE, '')
    .replace(/\s+([,.;:])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  item = item.charAt(0).toUpperCase() + item.slice(1);
  const firstClause = item.split(/,|\bthat\b|\bwhich\b/)[0]!;
  if (item.split(' ').length < 5 || item.length > 300 || /(?:1[6-9]|20)\d\d/.test(item) || MONTH_WORD.test(item)) return null;
  if (LEANING.test(item) || RELATIVE_TIME.test(item) || MODAL.test(firstClause) || orderConnective(item)) return null;
  return { item, date: span.text, when, passage, sentence };
}

/** The most events whose times do not overlap (earliest ending first), so each pair's order is certain. */
function disjointMost(events: readonly Event[]): Event[] {
  const out: Event[] = [];
  let end = -Infinity;
  for (const e of [...events].sort((a, b) => a.when.to - b.when.to || a.when.from - b.when.from)) {
    if (e.when.from >= end && !out.some((o) => o.item === e.item)) {
      out.push(e);
      end = e.when.to;
    }
  }
  return out;
}

/** Consecutive runs of three to six, as even as they come: seven events make four and three. */
function runsOf(events: readonly Event[]): Event[][] {
  const k = Math.ceil(events.length / MAX_EVENTS);
  const out: Event[][] = [];
  let at = 0;
  for (let i = 0; i < k; i++) {
    const size = Math.floor(events.length / k) + (i < events.length % k ? 1 : 0);
    out.push(events.slice(at, (at += size)));
  }
  return out.filter((r) => r.length >= MIN_EVENTS);
}

/** The explanation: each event's date and the sentence that gives it, earliest first. */
function explanationOf(group: readonly Event[]): string {
  const quoted = `The document dates them, earliest first: ${group.map((e) => `${e.date}: “${e.sentence.text}”`).join(' ')}`;
  return quoted.length <= 2000 ? quoted : `The document dates them, earliest first: ${group.map((e) => `${e.date}: ${e.item}`).join(' ')}`.slice(0, 2000);
}

function draftOf(group: readonly Event[], scope: string | null): Draft {
  const { passage, quote, covered } = citeMost(group);
  const key = hashOf('ordering', ...group.map((e) => e.item));
  const understand = group.filter((e) => suggestLevel(e.sentence.text) === 'understand').length * 2 >= group.length;
  return {
    key,
    kind: 'ordering',
    passageId: passage.id,
    sectionTitle: passage.sectionTitle,
    terms: group.map((e) => e.date),
    informativeness: Math.round((0.8 + (covered.length / group.length) * 0.2) * 100) / 100,
    question: {
      id: `d-${key}`,
      type: 'ordering',
      prompt: `Put these events from ${scope ? `“${scope}”` : 'the document'} in the order they happened, earliest first.`,
      items: group.map((e) => e.item),
      topics: suggestTopics(passage.sectionTitle, [], 'year'),
      difficulty: group.length > MIN_EVENTS || !scope ? 'hard' : 'medium',
      level: understand ? 'understand' : 'recall',
      source: { passageId: passage.id, quote },
      explanation: explanationOf(group),
    },
  };
}

/**
 * Ordering drafts: three to six dated events, earliest first, each worded as the document words
 * it with the date cut out, and no two whose dates overlap ("late 2001" and "2001" are not put in
 * order). A section with three or more makes its own; the events left over from all sections are
 * ordered across the document. The draft cites the passage holding most of its events.
 */
export function orderingDrafts(index: DocumentIndex): Draft[] {
  const bySection = new Map<string, Event[]>();
  for (const passage of index.passages) {
    for (const s of index.sentences.get(passage.id) ?? []) {
      const e = eventOf(passage, s);
      if (e) (bySection.get(passage.sectionTitle) ?? bySection.set(passage.sectionTitle, []).get(passage.sectionTitle)!).push(e);
    }
  }
  const drafts: Draft[] = [];
  const leftover: Event[] = [];
  for (const [sectionTitle, events] of bySection) {
    const chosen = disjointMost(events);
    const runs = chosen.length >= MIN_EVENTS ? runsOf(chosen) : [];
    for (const run of runs) drafts.push(draftOf(run, sectionTitle));
    const used = new Set(runs.flat());
    leftover.push(...events.filter((e) => !used.has(e)));
  }
  const across = disjointMost(leftover);
  if (across.length >= MIN_EVENTS) for (const run of runsOf(across)) drafts.push(draftOf(run, null));
  return drafts;
}
