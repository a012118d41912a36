import { shuffle, seededRandom } from '../questions/random.ts';

/**
 * Which questions an attempt gets: hand-picked ones, or a draw by rules ("10 from these two
 * topics, 5 from that one"), made per student with a seeded random source so that a draw can be
 * reproduced from its seed. Pure: no I/O, randomness passed in.
 */

/** "`count` questions from any of `topics`" (no topics: from the whole pool). */
export interface DrawRule {
  count: number;
  topics: readonly string[];
}

/** How a quiz chooses its questions. */
export type Selection = { mode: 'pick'; questionIds: readonly string[] } | { mode: 'rules'; rules: readonly DrawRule[] };

/** A question the draw may use: its id and topics. */
export interface PoolQuestion {
  id: string;
  topics: readonly string[];
}

/** A string hashed to 32 bits (xmur3), to seed the generator. */
function hashSeed(seed: string): number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^= h >>> 16) >>> 0;
}

/** A reproducible random source in [0, 1) from a string seed. */
export function seededRng(seed: string): () => number {
  return seededRandom(hashSeed(seed));
}

const matches = (q: PoolQuestion, rule: DrawRule) => rule.topics.length === 0 || q.topics.some((t) => rule.topics.includes(t));

/**
 * The question ids of one attempt, in the order shown. Picked questions keep the author's order
 * (those no longer in the pool are skipped); rules draw in turn without repeating a question, a
 * rule short of questions taking what is left. `shuffleOrder` then mixes the whole list.
 */
export function drawQuestions(selection: Selection, pool: readonly PoolQuestion[], rng: () => number, shuffleOrder: boolean): string[] {
  let ids: string[];
  if (selection.mode === 'pick') {
    const present = new Set(pool.map((q) => q.id));
    ids = [...new Set(selection.questionIds)].filter((id) => present.has(id));
  } else {
    // Sorted first, so that the same seed gives the same draw whatever order the database returned.
    const sorted = [...pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const taken = new Set<string>();
    ids = [];
    for (const rule of selection.rules) {
      const candidates = sorted.filter((q) => !taken.has(q.id) && matches(q, rule));
      for (const q of shuffle(candidates, rng).slice(0, rule.count)) {
        taken.add(q.id);
        ids.push(q.id);
      }
    }
  }
  return shuffleOrder ? shuffle(ids, rng) : ids;
}

/**
 * For each rule, how many questions it would lack if earlier rules took their share first from
 * the questions it could also use (the worst case). All zeros: every draw is full.
 */
export function ruleShortfalls(rules: readonly DrawRule[], pool: readonly PoolQuestion[]): number[] {
  return rules.map((rule, i) => {
    const mine = pool.filter((q) => matches(q, rule));
    const claimedByEarlier = rules.slice(0, i).reduce((n, earlier) => n + Math.min(earlier.count, mine.filter((q) => matches(q, earlier)).length), 0);
    return Math.max(0, rule.count - Math.max(0, mine.length - claimedByEarlier));
  });
}
