/**
 * The text scores of the running command's documents, for `{ $meta: 'textScore' }` in its
 * projection, sort and pipeline stages. A score belongs to one `$text` query, so the map
 * lives for one command (commands run one at a time on the database thread, as the time
 * budget relies on too). Stages that build new documents carry the score over (mingo.ts).
 */
let scores: WeakMap<object, number> | undefined;

/** Runs a command with its own (initially empty) scores. */
export function withTextScores<T>(fn: () => T): T {
  const outer = scores;
  scores = undefined;
  try {
    return fn();
  } finally {
    scores = outer;
  }
}

/** Records the score a `$text` query gave a document. */
export function recordTextScore(doc: object, score: number): void {
  (scores ??= new WeakMap()).set(doc, score);
}

/** The score of a document, or undefined when it has none. */
export function textScoreOf(doc: unknown): number | undefined {
  return scores && typeof doc === 'object' && doc !== null ? scores.get(doc) : undefined;
}

/** Whether any document of this command has a score (the pipelines then carry scores along). */
export function textScoresActive(): boolean {
  return scores !== undefined;
}

/** Gives `to` the score of `from` (a stage's output built from its input); returns `to`. */
export function carryTextScore<T>(from: unknown, to: T): T {
  const score = textScoreOf(from);
  if (score !== undefined && typeof to === 'object' && to !== null) scores!.set(to, score);
  return to;
}
