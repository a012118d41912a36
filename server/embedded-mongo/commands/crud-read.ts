import { calculateObjectSize, Long } from 'bson';
import type { CollationSpec, Options } from 'mingo/types';
import { CommandError, ErrorCodes } from '../errors.ts';
import { clonePlain, isPlainObject, setPath, type Doc } from '../documents.ts';
import { pick } from '../engine/fast-find.ts';
import { assertPipelineStages, find as mingoFind } from '../engine/mingo.ts';
import { applyProjection } from '../engine/projection.ts';
import { isTextScoreMeta, sortDocs } from '../engine/sort.ts';
import { assertGeoNearFirst, orderByNear, parseGeoNear, splitNearFilter } from '../engine/geo-query.ts';
import { hasText } from '../engine/text-query.ts';
import { assertPipelineText, scoreUnavailable, splitScoreProjection, withScore } from '../engine/text-meta.ts';
import { carryTextScore, textScoreOf } from '../engine/text-scores.ts';
import { assertCollationApplies, parseCollation } from '../engine/collation.ts';
import { assertHint } from '../engine/hint.ts';
import { assertSupported, compilePipeline } from '../engine/query.ts';
import { valueKey } from '../value-key.ts';
import { targetName, type CommandContext, type CommandHandler } from './context.ts';
import { explain } from './explain.ts';
import { outTarget, writeOut } from './out-stage.ts';
import { mergeSpec, writeMerge, type MergeSpec } from './merge-stage.ts';

const sizeOf = (doc: Doc): number => calculateObjectSize(doc);

function asNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new CommandError(ErrorCodes.TypeMismatch, `${field} must be a number`);
  return value;
}

/** mingo's projection appends `_id` last; mongod keeps it first. */
function idFirst(doc: Doc): Doc {
  if (!('_id' in doc) || Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/** Mingo options with a collation, when the command has one. */
export function withCollation(options: Partial<Options>, collation: CollationSpec | undefined): Partial<Options> {
  return collation ? { ...options, collation } : options;
}

function cursorReply(ns: string, batch: Doc[], id: Long, first: boolean): Doc {
  return { cursor: first ? { firstBatch: batch, id, ns } : { nextBatch: batch, id, ns }, ok: 1 };
}

function isEmpty(value: unknown): boolean {
  return !isPlainObject(value) || Object.keys(value).length === 0;
}

function find(cmd: Doc, ctx: CommandContext): Doc {
  const name = targetName(cmd);
  const ns = `${ctx.db}.${name}`;
  const coll = ctx.engine.getCollection(ctx.db, name);
  // A top-level $near/$nearSphere orders the results by distance (geo-query.ts); the rest filters.
  const { near, rest: filter } = splitNearFilter(cmd.filter as Doc | undefined, coll, ns);
  const collation = parseCollation(cmd.collation);
  assertCollationApplies(collation, filter);
  const options = withCollation(ctx.engine.options(ctx.db, cmd.let as Doc | undefined), collation);
  const planner = ctx.engine.planner;
  const query = planner.filter(filter, options, { coll, ns });
  // `{ $meta: 'textScore' }` fields are added after the rest of the projection is applied.
  const { rest: projection, scoreFields } = splitScoreProjection(isEmpty(cmd.projection) ? undefined : (cmd.projection as Doc));
  const scoreSort = isPlainObject(cmd.sort) && Object.values(cmd.sort).some(isTextScoreMeta);
  if ((scoreFields.length > 0 || scoreSort) && !hasText(filter)) throw scoreUnavailable();
  if (scoreSort && collation) throw new CommandError(ErrorCodes.NotImplemented, 'a sort by textScore with a collation is not supported by the embedded server');
  let limit = asNumber(cmd.limit, 'limit') ?? 0;
  let singleBatch = cmd.singleBatch === true;
  if (limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const skip = asNumber(cmd.skip, 'skip') ?? 0;
  assertHint(coll, cmd.hint);
  let docs: Doc[] = [];
  if (coll) {
    // Hash indexes hold exact values: under a collation every document is a candidate.
    const matched = planner.matching(coll, query, collation ? undefined : filter);
    const source = near ? orderByNear(matched, near).map((hit) => hit.doc) : matched;
    if (isEmpty(cmd.sort) && !projection && scoreFields.length === 0) {
      // Common path (findOne by a key): stop as soon as the limit is reached.
      let skipped = 0;
      for (const doc of source) {
        if (skipped < skip) {
          skipped++;
          continue;
        }
        docs.push(doc);
        if (limit > 0 && docs.length >= limit) break;
      }
    } else if (projection && isEmpty(cmd.sort) && scoreFields.length === 0 && planner.inclusion(projection)) {
      // Summary reads (a gradebook's attempts) project a few fields of large documents; copying
      // those fields is far cheaper than mingo's general projection.
      const inclusion = planner.inclusion(projection)!;
      let skipped = 0;
      for (const doc of source) {
        if (skipped < skip) {
          skipped++;
          continue;
        }
        docs.push(pick(doc, inclusion));
        if (limit > 0 && docs.length >= limit) break;
      }
    } else {
      // A top-level inclusion is applied after sort, skip and limit, to the documents returned only.
      const inclusion = projection ? planner.inclusion(projection) : undefined;
      let ordered = [...source];
      if (!isEmpty(cmd.sort)) {
        // Sorts on plain fields of one type (a roster by name) are done directly; collations by mingo.
        const sort = cmd.sort as Doc;
        ordered =
          (collation ? undefined : planner.sort(ordered, sort)) ??
          (collation ? (mingoFind(ordered, {}, undefined, options).sort(sort).all() as Doc[]) : sortDocs(ordered, sort));
      }
      docs = ordered.slice(skip, limit > 0 ? skip + limit : undefined);
      const scores = scoreFields.length > 0 ? docs.map(textScoreOf) : [];
      if (projection && !inclusion) docs = applyProjection(docs, projection, filter, options).map(idFirst);
      if (inclusion) docs = docs.map((d) => pick(d, inclusion));
      if (scoreFields.length > 0) docs = docs.map((d, i) => withScore(d, scoreFields, scores[i]));
    }
  }
  const batchSize = asNumber(cmd.batchSize, 'batchSize');
  if (singleBatch) return cursorReply(ns, docs, Long.ZERO, true);
  const { batch, id } = ctx.engine.cursors.open(ns, docs, batchSize, sizeOf);
  return cursorReply(ns, batch, id, true);
}

function getMore(cmd: Doc, ctx: CommandContext): Doc {
  const raw = cmd.getMore;
  const id = raw instanceof Long ? raw : typeof raw === 'number' ? Long.fromNumber(raw) : undefined;
  if (!id) throw new CommandError(ErrorCodes.TypeMismatch, 'getMore cursor id must be a long');
  const ns = `${ctx.db}.${String(cmd.collection)}`;
  const next = ctx.engine.cursors.more(ns, id, asNumber(cmd.batchSize, 'batchSize'), sizeOf);
  if (!next) throw new CommandError(ErrorCodes.CursorNotFound, `cursor id ${id.toString()} not found`);
  return cursorReply(ns, next.batch, next.id, false);
}

function killCursors(cmd: Doc, ctx: CommandContext): Doc {
  const killed: Long[] = [];
  const notFound: Long[] = [];
  for (const raw of (cmd.cursors as unknown[]) ?? []) {
    const id = raw instanceof Long ? raw : Long.fromNumber(Number(raw));
    (ctx.engine.cursors.kill(id) ? killed : notFound).push(id);
  }
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
}

/** Stages that only read their input; any other stage may modify nested objects in place. */
const READ_ONLY_STAGES = new Set(['$match', '$sort', '$limit', '$skip', '$count', '$group', '$sortByCount', '$lookup', '$unwind', '$project']);

function readsOnly(pipeline: Doc[]): boolean {
  return pipeline.every((stage) => {
    const [name, arg] = Object.entries(stage)[0] ?? [];
    if (name === '$facet' && isPlainObject(arg)) return Object.values(arg).every((p) => Array.isArray(p) && readsOnly(p as Doc[]));
    // mingo's $addFields copies each document's top level before setting: only dotted paths reach into shared objects.
    if ((name === '$addFields' || name === '$set') && isPlainObject(arg)) return Object.keys(arg).every((field) => !field.includes('.'));
    return name !== undefined && READ_ONLY_STAGES.has(name);
  });
}

/** mongod's error for a $out or $merge anywhere but at the end of the pipeline. */
function assertWriteStagesLast(pipeline: Doc[]): void {
  pipeline.forEach((stage, i) => {
    const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
    if ((name === '$out' || name === '$merge') && i < pipeline.length - 1) throw new CommandError(40601, `${name} can only be the final stage in the pipeline`);
  });
}

function aggregate(cmd: Doc, ctx: CommandContext): Doc {
  if (!Array.isArray(cmd.pipeline)) throw new CommandError(ErrorCodes.TypeMismatch, "'pipeline' option must be specified as an array");
  assertWriteStagesLast(cmd.pipeline as Doc[]);
  // A final $out or $merge writes the results (out-stage.ts, merge-stage.ts); nested ones are refused below.
  const out = cmd.explain === true ? undefined : outTarget(cmd.pipeline as Doc[], ctx.db);
  const merge = cmd.explain === true ? undefined : mergeSpec(cmd.pipeline as Doc[], ctx.db);
  const pipeline = out || merge ? (cmd.pipeline as Doc[]).slice(0, -1) : (cmd.pipeline as Doc[]);
  // Known stages the server does not implement say so first; then unknown ones get 40324.
  assertPipelineText(pipeline as Doc[]);
  assertGeoNearFirst(pipeline as Doc[]);
  // A leading $geoNear is run below, before the rest; nested ones are refused by assertSupported.
  const geoNearSpec = isPlainObject(pipeline[0]) && '$geoNear' in (pipeline[0] as Doc) ? (pipeline[0] as Doc).$geoNear : undefined;
  assertSupported(geoNearSpec === undefined ? pipeline : pipeline.slice(1));
  if (isPlainObject(geoNearSpec)) assertSupported(geoNearSpec.query);
  assertPipelineStages(geoNearSpec === undefined ? pipeline : pipeline.slice(1));
  if (cmd.explain === true) return explain(cmd, ctx, (inner) => aggregate(inner, ctx));
  const target = cmd.aggregate;
  if (target === 1) return databaseAggregate(pipeline as Doc[], cmd, ctx, merge);
  if (typeof target !== 'string') throw new CommandError(ErrorCodes.TypeMismatch, `collection name has invalid type ${typeof target}`);
  // mingo edits nested objects in place ($set of 'a.b'), so such pipelines get copies.
  const copy = !readsOnly(pipeline as Doc[]);
  const collation = parseCollation(cmd.collation);
  assertCollationApplies(collation, pipeline, true);
  const options = withCollation(ctx.engine.options(ctx.db, cmd.let as Doc | undefined, copy), collation);
  // A leading $match is a find filter: it runs as one (index candidates, the scalar fast path),
  // and mingo runs the rest of the pipeline on what it matched.
  const first = pipeline[0] as Doc | undefined;
  const coll = ctx.engine.getCollection(ctx.db, target);
  const ns = `${ctx.db}.${target}`;
  // A leading $geoNear: its query is the filter, and its output documents carry the distance.
  const geoNear = geoNearSpec !== undefined && coll ? parseGeoNear(geoNearSpec, coll, ns) : undefined;
  const leadingMatch = geoNear
    ? (geoNear.query ?? {})
    : first && Object.keys(first).length === 1 && isPlainObject(first.$match)
      ? (first.$match as Doc)
      : undefined;
  const rest = (leadingMatch || geoNearSpec !== undefined ? pipeline.slice(1) : pipeline) as Doc[];
  assertHint(coll, cmd.hint);
  let source: Iterable<Doc> = [];
  // A `$text` is looked up even without the collection, for mongod's error (27).
  const leadingQuery = leadingMatch ? ctx.engine.planner.filter(leadingMatch, options, { coll, ns }) : undefined;
  if (coll) {
    source = leadingQuery ? ctx.engine.planner.matching(coll, leadingQuery, collation ? undefined : leadingMatch) : coll.docs.values();
  }
  if (geoNear) {
    source = orderByNear(source, geoNear.near).map((hit) => {
      const out = clonePlain(hit.doc);
      setPath(out, geoNear.distanceField, hit.distance * geoNear.multiplier);
      if (geoNear.includeLocs !== undefined) setPath(out, geoNear.includeLocs, clonePlain(hit.location));
      return out;
    });
  }
  const input = copy && !geoNear ? [...source].map((d) => carryTextScore(d, clonePlain(d))) : [...source];
  const stageContext = { collection: (name: string) => ctx.engine.getCollection(ctx.db, name), options, copy };
  const runWithMingo = (docs: Doc[], stages: Doc[]): Doc[] => (stages.length ? (compilePipeline(stages, options).run(docs) as Doc[]) : docs);
  // The fast stages compare strings exactly: a collated pipeline runs through mingo.
  const docs = collation ? runWithMingo(input, rest) : ctx.engine.planner.stages(input, rest, stageContext, runWithMingo);
  if (out || merge) {
    if (out) writeOut(docs, out, ctx);
    else writeMerge(docs, merge!, ctx, options);
    return cursorReply(ns, [], Long.ZERO, true);
  }
  const batchSize = asNumber((cmd.cursor as Doc | undefined)?.batchSize, 'batchSize');
  const { batch, id } = ctx.engine.cursors.open(ns, docs, batchSize, sizeOf);
  return cursorReply(ns, batch, id, true);
}

/**
 * `aggregate: 1`: a pipeline with no collection, which must start with `$documents` (the
 * server-state stages `$currentOp` and `$listLocalSessions` are refused by assertSupported).
 */
function databaseAggregate(pipeline: Doc[], cmd: Doc, ctx: CommandContext, merge: MergeSpec | undefined): Doc {
  const first = Object.keys(pipeline[0] ?? {})[0];
  if (first !== '$documents') {
    throw new CommandError(ErrorCodes.InvalidNamespace, `{aggregate: 1} is not valid for '${first ?? 'an empty pipeline'}'; a collection is required.`);
  }
  const options = ctx.engine.options(ctx.db, cmd.let as Doc | undefined, true);
  const docs = compilePipeline(pipeline, options).run([]) as Doc[];
  const ns = `${ctx.db}.$cmd.aggregate`;
  if (merge) {
    writeMerge(docs, merge, ctx, options);
    return cursorReply(ns, [], Long.ZERO, true);
  }
  const { batch, id } = ctx.engine.cursors.open(ns, docs, asNumber((cmd.cursor as Doc | undefined)?.batchSize, 'batchSize'), sizeOf);
  return cursorReply(ns, batch, id, true);
}

function count(cmd: Doc, ctx: CommandContext): Doc {
  const name = targetName(cmd);
  const coll = ctx.engine.getCollection(ctx.db, name);
  assertHint(coll, cmd.hint);
  const filter = cmd.query as Doc | undefined;
  const collation = parseCollation(cmd.collation);
  assertCollationApplies(collation, filter);
  const options = withCollation(ctx.engine.options(ctx.db), collation);
  // Compiled first: a `$text` on a missing collection is mongod's 27, not a count of 0.
  const query = isEmpty(filter) ? undefined : ctx.engine.planner.filter(filter, options, { coll, ns: `${ctx.db}.${name}` });
  if (!coll) return { n: 0, ok: 1 };
  let n = !query ? coll.docs.size : [...ctx.engine.planner.matching(coll, query, collation ? undefined : filter)].length;
  n = Math.max(0, n - (asNumber(cmd.skip, 'skip') ?? 0));
  const limit = asNumber(cmd.limit, 'limit') ?? 0;
  if (limit !== 0) n = Math.min(n, Math.abs(limit));
  return { n, ok: 1 };
}

function distinct(cmd: Doc, ctx: CommandContext): Doc {
  const coll = ctx.engine.getCollection(ctx.db, targetName(cmd));
  const key = cmd.key;
  if (typeof key !== 'string') throw new CommandError(ErrorCodes.TypeMismatch, "'key' must be a string");
  // Distinct values under a collation would need collator-aware deduplication: refused, not ignored.
  if (parseCollation(cmd.collation)) throw new CommandError(ErrorCodes.NotImplemented, 'distinct with a collation is not supported by the embedded server');
  if (!coll) return { values: [], ok: 1 };
  const filter = cmd.query as Doc | undefined;
  const seen = new Map<string, unknown>();
  const add = (v: unknown): void => {
    if (v === undefined) return;
    if (Array.isArray(v)) for (const item of v) add(item);
    else if (!seen.has(valueKey(v))) seen.set(valueKey(v), v);
  };
  for (const doc of ctx.engine.planner.matching(coll, ctx.engine.planner.filter(filter, ctx.engine.options(ctx.db), { coll, ns: coll.ns }), filter)) {
    let values: unknown[] = [doc];
    for (const part of key.split('.')) {
      values = values.flatMap((v) => (Array.isArray(v) ? v : [v])).map((v) => (isPlainObject(v) ? v[part] : undefined));
    }
    for (const v of values) add(v);
  }
  return { values: [...seen.values()], ok: 1 };
}

/** Commands that read: find and its cursors, aggregate, count and distinct. */
export const readCommands: Record<string, CommandHandler> = { find, getMore, killCursors, aggregate, count, distinct };
