import { CommandError, ErrorCodes } from '../errors.ts';
import { clonePlain, isPlainObject, setPath, type Doc } from '../documents.ts';
import { isTextScoreMeta } from './sort.ts';
import { mentionsText } from './text-query.ts';

/**
 * `{ $meta: 'textScore' }` in find projections and sorts and in pipelines: where the score
 * exists (after a `$text`) and where a stage of this server would lose it.
 */

/** mongod's answer when a score is asked for without a `$text` in the query. */
export function scoreUnavailable(): CommandError {
  return new CommandError(40218, 'query requires text score metadata, but it is not available');
}

/** A find projection's `{ $meta: 'textScore' }` fields, and the rest of it (undefined when nothing else is left). */
export function splitScoreProjection(projection: Doc | undefined): { rest: Doc | undefined; scoreFields: string[] } {
  if (!projection) return { rest: undefined, scoreFields: [] };
  const scoreFields = Object.keys(projection).filter((f) => isTextScoreMeta(projection[f]));
  if (scoreFields.length === 0) return { rest: projection, scoreFields };
  const rest = Object.fromEntries(Object.entries(projection).filter(([f]) => !scoreFields.includes(f)));
  return { rest: Object.keys(rest).length ? rest : undefined, scoreFields };
}

/** A copy of a projected document with its score in the given fields (after the others, as mongod adds computed fields). */
export function withScore(doc: Doc, fields: string[], score: number | undefined): Doc {
  if (score === undefined) throw new CommandError(ErrorCodes.NotImplemented, 'the embedded server lost the text score of a document');
  const out = fields.some((f) => f.includes('.')) ? clonePlain(doc) : { ...doc };
  for (const f of fields) setPath(out, f, score);
  return out;
}

/** Whether a value (a stage's spec) asks for the text score anywhere. */
export function wantsScore(expr: unknown): boolean {
  if (isTextScoreMeta(expr)) return true;
  if (Array.isArray(expr)) return expr.some(wantsScore);
  return isPlainObject(expr) && Object.values(expr).some(wantsScore);
}

/** Stages that pass documents on as they are: their scores stay with them. */
const KEEPING = new Set(['$match', '$sort', '$limit', '$skip', '$sample']);
/** Stages that build each output from one input (mingo.ts carries the score over). */
export const PER_DOCUMENT_STAGES = new Set(['$project', '$addFields', '$set', '$unset', '$replaceRoot', '$replaceWith', '$unwind', '$redact']);
export const ONE_TO_ONE_STAGES = new Set(['$lookup', '$graphLookup']);

/**
 * Checks a pipeline for scores it cannot have: without a `$text` (in the first `$match`)
 * mongod answers 40218; after a stage that drops scores or builds documents this server does
 * not follow (`$group`, `$facet`'s output, `$unionWith`, ...), 238. `$text` in a later
 * `$match` is 17313, and inside `$facet`, `$lookup` or `$unionWith` pipelines it is refused.
 */
export function assertPipelineText(stages: Doc[], input?: { scored: boolean; available: boolean }): void {
  let scored = input?.scored ?? false;
  let available = input?.available ?? false;
  let after = '';
  stages.forEach((stage, i) => {
    const [name, spec] = Object.entries(stage)[0] ?? [];
    if (name === undefined) return;
    if (name === '$match' && mentionsText(spec)) {
      if (input)
        throw new CommandError(ErrorCodes.NotImplemented, '$text inside $facet, $lookup or $unionWith pipelines is not supported by the embedded server');
      if (i > 0) throw new CommandError(17313, '$match with $text is only allowed as the first pipeline stage');
      scored = available = true;
    }
    if (name === '$facet' && isPlainObject(spec)) {
      for (const sub of Object.values(spec)) if (Array.isArray(sub)) assertPipelineText(sub as Doc[], { scored, available });
    } else if ((name === '$lookup' || name === '$unionWith') && isPlainObject(spec) && Array.isArray(spec.pipeline)) {
      // The joined documents come from another collection, with no scores.
      assertPipelineText(spec.pipeline as Doc[], { scored: false, available: false });
    }
    const own = name === '$facet' ? undefined : isPlainObject(spec) && 'pipeline' in spec ? { ...spec, pipeline: undefined } : spec;
    if (wantsScore(own)) {
      if (!scored) throw scoreUnavailable();
      if (!available) throw new CommandError(ErrorCodes.NotImplemented, `the embedded server does not keep text scores after ${after}`);
    }
    if (!KEEPING.has(name) && !PER_DOCUMENT_STAGES.has(name) && !ONE_TO_ONE_STAGES.has(name)) {
      available = false;
      after ||= name;
    }
  });
}
