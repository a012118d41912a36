/**
 * Per-learner aggregates, pure: what one review or one answer adds to a learner's aggregate
 * document, and the whole document folded from a list of records (the recomputation that the
 * stored document must always equal). No database here.
 *
 * Scores are kept in millionths (integers), so adding and then removing a partial-credit score
 * leaves the sums exact; a mean is off by at most 1e-6.
 */

import { isRecord } from '../object-shape.ts';

/** What the aggregates need of a flashcard review (a ReviewLog entry). */
export interface ReviewFacts {
  id: string;
  userId: string;
  review: Date;
  rating: number;
  topics: readonly string[];
}

/** What the aggregates need of a graded answer (a LearnerResponse). */
export interface AnswerFacts {
  id: string;
  userId: string;
  questionId: string;
  bankId: string;
  passageId: string;
  topics: readonly string[];
  score: number;
  correct: boolean;
  answeredAt: Date;
}

/** Counters of one quarter-hour: r reviews, k recalled (Hard or better), a answers, s score (millionths). */
export interface DayCounts {
  r: number;
  k: number;
  a: number;
  s: number;
}
/** One question: n answers, c correct, s score (millionths), last: the latest answer (lastKey; gone while a removal sets it anew). */
export interface QuestionCounts {
  n: number;
  c: number;
  s: number;
  last?: string;
}
/** One topic: r reviews, a answers, c correct, s score (millionths). */
export interface TopicCounts {
  r: number;
  a: number;
  c: number;
  s: number;
}
/** One passage (of a bank): a answers, c correct, s score (millionths). */
export interface PassageCounts {
  a: number;
  c: number;
  s: number;
}
export interface Totals {
  reviews: number;
  recalled: number;
  answers: number;
  correct: number;
  score: number;
}

/** The stored document without its bookkeeping (`_id`, the recent-id lists). */
export interface AggregateBody {
  n: Totals;
  /** Activity per UTC quarter-hour ('YYYY-MM-DDTHH:MM'): read as the learner's own study days (see slotOf). */
  slots: Record<string, DayCounts>;
  questions: Record<string, QuestionCounts>;
  topics: Record<string, TopicCounts>;
  passages: Record<string, PassageCounts>;
}

export const SCORE_UNIT = 1_000_000;
export const micros = (score: number) => Math.round(score * SCORE_UNIT);
const SLOT_MS = 15 * 60_000;
/**
 * The UTC quarter-hour holding a time, 'YYYY-MM-DDTHH:MM'. Every time zone's offset is a multiple
 * of 15 minutes and a study day starts on the hour, so a quarter-hour lies in one study day of
 * any learner: the reader groups them into days in the learner's zone and day start as they are
 * now, and changing either re-counts the history instead of leaving it in the old days.
 */
export const slotOf = (at: Date) => new Date(Math.floor(at.getTime() / SLOT_MS) * SLOT_MS).toISOString().slice(0, 16);

/** Field names that are safe in a dotted path whatever the slug holds ('.' and '$' escaped). */
const safe = (s: string) => encodeURIComponent(s).replace(/\./g, '%2E');
export const questionKey = (questionId: string) => `q${questionId}`;
export const topicKey = (slug: string) => `t${safe(slug)}`;
export const passageKey = (bankId: string, passageId: string) => `p${bankId}~${safe(passageId)}`;
export const topicOfKey = (key: string) => decodeURIComponent(key.slice(1));

/**
 * The latest answer to a question, as one string that sorts by time (ISO), then record id: the
 * later of two is the greater, so `$max` keeps it without reading the document first.
 */
export const lastKey = (a: Pick<AnswerFacts, 'answeredAt' | 'id' | 'score'>) => `${a.answeredAt.toISOString()}|${a.id}|${a.score}`;
export function parseLast(last: string): { at: Date; score: number } {
  const [iso, , score] = last.split('|');
  return { at: new Date(iso!), score: Number(score) };
}

/** The `$inc` (and, for answers, `$max`) of one record; `sign` -1 takes it away again. */
export interface Contribution {
  inc: Record<string, number>;
  max: Record<string, string>;
  /** Entries whose counters may fall to zero on removal: path → counter names. */
  entries: Array<{ path: string; counters: readonly string[] }>;
}

const DAY_COUNTERS = ['r', 'k', 'a', 's'] as const;
const TOPIC_COUNTERS = ['r', 'a', 'c', 's'] as const;
const PASSAGE_COUNTERS = ['a', 'c', 's'] as const;
const QUESTION_COUNTERS = ['n', 'c', 's'] as const;

export function reviewContribution(r: ReviewFacts, sign: 1 | -1 = 1): Contribution {
  const recalled = r.rating >= 2 ? 1 : 0;
  const day = `slots.${slotOf(r.review)}`;
  const inc: Record<string, number> = { 'n.reviews': sign, 'n.recalled': sign * recalled, [`${day}.r`]: sign, [`${day}.k`]: sign * recalled };
  const entries: Contribution['entries'] = [{ path: day, counters: DAY_COUNTERS }];
  for (const t of new Set(r.topics)) {
    inc[`topics.${topicKey(t)}.r`] = sign;
    entries.push({ path: `topics.${topicKey(t)}`, counters: TOPIC_COUNTERS });
  }
  return { inc, max: {}, entries };
}

export function answerContribution(a: AnswerFacts, sign: 1 | -1 = 1): Contribution {
  const c = a.correct ? 1 : 0;
  const s = micros(a.score);
  const day = `slots.${slotOf(a.answeredAt)}`;
  const q = `questions.${questionKey(a.questionId)}`;
  const p = `passages.${passageKey(a.bankId, a.passageId)}`;
  const inc: Record<string, number> = {
    'n.answers': sign,
    'n.correct': sign * c,
    'n.score': sign * s,
    [`${day}.a`]: sign,
    [`${day}.s`]: sign * s,
    [`${q}.n`]: sign,
    [`${q}.c`]: sign * c,
    [`${q}.s`]: sign * s,
    [`${p}.a`]: sign,
    [`${p}.c`]: sign * c,
    [`${p}.s`]: sign * s,
  };
  const entries: Contribution['entries'] = [
    { path: day, counters: DAY_COUNTERS },
    { path: q, counters: QUESTION_COUNTERS },
    { path: p, counters: PASSAGE_COUNTERS },
  ];
  for (const t of new Set(a.topics)) {
    const k = `topics.${topicKey(t)}`;
    inc[`${k}.a`] = sign;
    inc[`${k}.c`] = sign * c;
    inc[`${k}.s`] = sign * s;
    entries.push({ path: k, counters: TOPIC_COUNTERS });
  }
  return { inc, max: sign === 1 ? { [`${q}.last`]: lastKey(a) } : {}, entries };
}

export const emptyTotals = (): Totals => ({ reviews: 0, recalled: 0, answers: 0, correct: 0, score: 0 });

/** The aggregate of a learner's records, recomputed from scratch. */
export function foldRecords(reviews: Iterable<ReviewFacts>, answers: Iterable<AnswerFacts>): AggregateBody {
  // Built by the same dotted paths the updates use, then read back like a stored document.
  const tree: Record<string, unknown> = {};
  const add = (c: Contribution) => {
    for (const [path, by] of Object.entries(c.inc)) addAt(tree, path, by);
    for (const [path, value] of Object.entries(c.max)) maxAt(tree, path, value);
  };
  for (const r of reviews) add(reviewContribution(r));
  for (const a of answers) add(answerContribution(a));
  return normalised(tree);
}

function walk(root: Record<string, unknown>, path: string): [Record<string, unknown>, string] {
  const parts = path.split('.');
  let node = root;
  for (const p of parts.slice(0, -1)) {
    const next = node[p];
    if (isRecord(next)) node = next;
    else {
      const fresh: Record<string, unknown> = {};
      node[p] = fresh;
      node = fresh;
    }
  }
  return [node, parts.at(-1)!];
}

function addAt(root: Record<string, unknown>, path: string, by: number) {
  const [node, leaf] = walk(root, path);
  const cur = node[leaf];
  node[leaf] = (typeof cur === 'number' ? cur : 0) + by;
}

function maxAt(root: Record<string, unknown>, path: string, value: string) {
  const [node, leaf] = walk(root, path);
  const cur = node[leaf];
  if (typeof cur !== 'string' || value > cur) node[leaf] = value;
}

/** The entries of one map of a stored document, each read by `row`; entries whose counters are all zero left out. */
function entriesOf<C extends string, R extends Record<C, number>>(
  stored: unknown,
  counters: readonly C[],
  row: (count: (c: C) => number, e: Record<string, unknown>) => R,
): Record<string, R> {
  const out: Record<string, R> = {};
  for (const [key, v] of Object.entries(isRecord(stored) ? stored : {})) {
    const e = isRecord(v) ? v : {};
    const r = row((c) => Number(e[c] ?? 0), e);
    if (counters.every((c) => r[c] === 0)) continue;
    out[key] = r;
  }
  return out;
}

/**
 * A stored document (or none) in the shape foldRecords gives: bookkeeping dropped, entries whose
 * counters are all zero dropped, every counter present. Two aggregates are equal when their
 * normalised forms are deeply equal. The document is written by dotted-path updates, so its
 * fields are read here, not trusted.
 */
export function normalised(doc: unknown): AggregateBody {
  const d = isRecord(doc) ? doc : {};
  const stored = isRecord(d.n) ? d.n : {};
  const total = (k: keyof Totals) => Number(stored[k] ?? 0);
  return {
    n: { reviews: total('reviews'), recalled: total('recalled'), answers: total('answers'), correct: total('correct'), score: total('score') },
    slots: entriesOf(d.slots, DAY_COUNTERS, (n) => ({ r: n('r'), k: n('k'), a: n('a'), s: n('s') })),
    questions: entriesOf(d.questions, QUESTION_COUNTERS, (n, e) => ({
      n: n('n'),
      c: n('c'),
      s: n('s'),
      ...(typeof e.last === 'string' ? { last: e.last } : {}),
    })),
    topics: entriesOf(d.topics, TOPIC_COUNTERS, (n) => ({ r: n('r'), a: n('a'), c: n('c'), s: n('s') })),
    passages: entriesOf(d.passages, PASSAGE_COUNTERS, (n) => ({ a: n('a'), c: n('c'), s: n('s') })),
  };
}
