import { Aggregator as BaseAggregator } from 'mingo/aggregator';
import { Context, evalExpr, OpType } from 'mingo/core';
import { Lazy, type Iterator } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query as BaseQuery } from 'mingo/query';
import type { Cursor } from 'mingo/cursor';
import type { Options } from 'mingo/types';
import { bsonCompare } from '../bson-order.ts';
import { clonePlain, isPlainObject, type Doc } from '../documents.ts';
import { CommandError, ErrorCodes } from '../errors.ts';
import { collatedQueryOps } from './collation.ts';
import { geoQueryOps } from './geo-query.ts';
import { queryOverrides } from './query-ops.ts';
import { sortDocs } from './sort.ts';
import { ONE_TO_ONE_STAGES, PER_DOCUMENT_STAGES } from './text-meta.ts';
import { carryTextScore, textScoreOf, textScoresActive } from './text-scores.ts';
import { checkTime, interruptible } from './time-budget.ts';

/**
 * mingo with MongoDB's answers where mingo's differ, built once: mingo's own Query merges its
 * operator tables on every construction when given extra operators, which costs ~100 µs.
 */
type Expr = (obj: unknown, expr: unknown, options: Options) => unknown;

function comparison(test: (c: number) => unknown): Expr {
  return (obj, expr, options) => {
    if (!Array.isArray(expr) || expr.length !== 2) throw new Error('Expression comparison takes exactly 2 arguments');
    const [a, b] = evalExpr(obj, expr, options) as [unknown, unknown];
    return test(bsonCompare(a, b));
  };
}

/** mongod's internalQueryMaxRangeBytes: the memory one `$range` result may take. */
export const MAX_RANGE_BYTES = 100 * 1024 * 1024;
/** What mongod counts per element (the size of its Value) and per array, to compare with that limit. */
const RANGE_ELEMENT_BYTES = 16;
const RANGE_ARRAY_BYTES = 24;
const mingoRange = (expressionOperators as unknown as Record<string, Expr>).$range!;

/**
 * `$range` refuses, as mongod does (146 ExceededMemoryLimit), a result past 100 MiB, before
 * building it: a `$range` of a billion numbers would otherwise end the process (V8 aborts on
 * an array that large, whatever the heap limit). Bad arguments get mingo's errors.
 */
function $range(obj: unknown, expr: unknown, options: Options): unknown {
  if (Array.isArray(expr) && expr.length >= 2 && expr.length <= 3) {
    const [start, end, step = 1] = evalExpr(obj, expr, options) as unknown[];
    if (Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step) && step !== 0) {
      const steps = Math.ceil(((end as number) - (start as number)) / (step as number));
      const needed = RANGE_ARRAY_BYTES + Math.max(0, steps) * RANGE_ELEMENT_BYTES;
      if (needed >= MAX_RANGE_BYTES) {
        throw new CommandError(
          ErrorCodes.ExceededMemoryLimit,
          `$range would use too much memory (${needed} bytes) and cannot spill to disk. Memory limit: ${MAX_RANGE_BYTES} bytes`,
        );
      }
    }
  }
  return mingoRange(obj, expr, options);
}

/** `{ $meta: 'textScore' }`: the score a `$text` gave the document being evaluated (text-scores.ts). */
function $meta(obj: unknown, expr: unknown, options: Options): unknown {
  if (expr !== 'textScore') throw new CommandError(ErrorCodes.NotImplemented, `$meta '${String(expr)}' is not supported by the embedded server`);
  const root = (options as { local?: { root?: unknown } }).local?.root ?? obj;
  const score = textScoreOf(root);
  if (score === undefined) throw new CommandError(ErrorCodes.NotImplemented, 'the embedded server lost the text score of a document');
  return score;
}

/** Aggregation comparisons order values of different types by BSON order (`{$gt: [1, '$missing']}` is true). */
const expressionOverrides = {
  $range,
  $meta,
  $eq: comparison((c) => c === 0),
  $ne: comparison((c) => c !== 0),
  $gt: comparison((c) => c > 0),
  $gte: comparison((c) => c >= 0),
  $lt: comparison((c) => c < 0),
  $lte: comparison((c) => c <= 0),
  $cmp: comparison((c) => c),
};

function validCountName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && !name.startsWith('$') && !name.includes('.');
}

const mingoSort = (pipelineOperators as unknown as Record<string, (coll: Iterator, expr: unknown, options: Options) => Iterator>).$sort!;

const pipelineOverrides = {
  /** BSON order (BinData by length, arrays by their least or greatest element); mingo's under a collation. */
  $sort(coll: Iterator, spec: unknown, options: Options): Iterator {
    if (options.collation) return mingoSort(coll, spec, options);
    return coll.transform((xs: unknown[]) => Lazy(sortDocs(xs as Doc[], spec)));
  },
  /** No input, no document (mingo says `{ n: 0 }`). */
  $count(coll: Iterator, name: unknown): Iterator {
    if (!validCountName(name)) throw new Error('$count expression must evaluate to valid field name');
    const n = coll.size();
    return Lazy(n > 0 ? [{ [name]: n }] : []);
  },
  /** Without replacement: a sample never repeats a document (mingo draws with replacement). */
  $sample(coll: Iterator, expr: unknown, _options: Options, random: () => number = Math.random): Iterator {
    const size = (expr as { size?: unknown } | null)?.size;
    if (typeof size !== 'number' || !(size >= 0)) throw new Error('size argument to $sample must be a non-negative number');
    return coll.transform((xs: unknown[]) => {
      const pool = [...xs];
      const take = Math.min(Math.floor(size), pool.length);
      for (let i = 0; i < take; i++) {
        const j = i + Math.floor(random() * (pool.length - i));
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      return Lazy(pool.slice(0, take));
    });
  },
};

type Stage = (coll: Iterator, expr: unknown, options: Options) => Iterator;

/** Each stage checks the command's time budget for every document it reads. */
function interruptibleStages(table: Record<string, Stage>): Record<string, Stage> {
  const pass = (doc: unknown): unknown => {
    checkTime();
    return doc;
  };
  return Object.fromEntries(
    Object.entries(table).map(([name, stage]) => [name, (coll: Iterator, expr: unknown, options: Options) => stage(coll.map(pass), expr, options)]),
  );
}

/**
 * While documents have text scores, stages that build new documents give each output its
 * input's score: per-document stages run one document at a time, `$lookup`s pair outputs
 * with inputs in order (they map one to one). Otherwise the stages run as they are.
 */
function scoreCarrying(table: Record<string, Stage>): Record<string, Stage> {
  const out = { ...table };
  for (const name of PER_DOCUMENT_STAGES) {
    const stage = table[name]!;
    out[name] = (coll, expr, options) => {
      if (!textScoresActive()) return stage(coll, expr, options);
      return coll.transform((xs: unknown[]) =>
        Lazy(
          xs.flatMap((doc) =>
            stage(Lazy([doc]), expr, options)
              .collect<unknown>()
              .map((o) => carryTextScore(doc, o)),
          ),
        ),
      );
    };
  }
  for (const name of ONE_TO_ONE_STAGES) {
    const stage = table[name]!;
    out[name] = (coll, expr, options) => {
      if (!textScoresActive()) return stage(coll, expr, options);
      const inputs: unknown[] = [];
      return stage(
        coll.map((doc: unknown) => (inputs.push(doc), doc)),
        expr,
        options,
      ).map((o: unknown) => carryTextScore(inputs.shift(), o));
    };
  }
  // mingo's $facet deep-copies its input for each sub-pipeline: the copies get the scores.
  const facet = table.$facet!;
  out.$facet = (coll, expr, options) => {
    if (!textScoresActive() || !isPlainObject(expr)) return facet(coll, expr, options);
    return coll.transform((xs: unknown[]) => {
      const result: Doc = {};
      for (const [name, sub] of Object.entries(expr))
        result[name] = new BaseAggregator(sub as Doc[], options).run(xs.map((doc) => carryTextScore(doc, clonePlain(doc))));
      return Lazy([result]);
    });
  };
  return out;
}

// Every operator and stage is an interrupt point for maxTimeMS and the default time budget.
export const MINGO_CONTEXT = Context.init({
  accumulator: interruptible(accumulatorOperators) as never,
  expression: interruptible({ ...expressionOperators, ...expressionOverrides }) as never,
  pipeline: interruptibleStages(scoreCarrying({ ...pipelineOperators, ...pipelineOverrides } as unknown as Record<string, Stage>)) as never,
  projection: projectionOperators as never,
  query: interruptible({
    ...queryOperators,
    ...collatedQueryOps,
    ...geoQueryOps,
    ...queryOverrides((condition, options) => new BaseQuery(condition as never, options)),
  }) as never,
  window: windowOperators as never,
});

function withContext(options: Partial<Options> = {}): Partial<Options> {
  return options.context === MINGO_CONTEXT ? options : { ...options, context: MINGO_CONTEXT };
}

/** mingo's Query with the engine's operators. */
export class Query extends BaseQuery<Doc> {
  constructor(condition: Doc, options?: Partial<Options>) {
    super(condition as never, withContext(options));
  }
}

/** mingo's Aggregator with the engine's operators. */
export class Aggregator extends BaseAggregator {
  constructor(pipeline: Doc[], options?: Partial<Options>) {
    super(pipeline, withContext(options));
  }
}

/** mingo's find with the engine's operators. */
export function find(docs: Iterable<Doc>, condition: Doc, projection?: Doc, options?: Partial<Options>): Cursor<Doc> {
  return new Query(condition, options).find(docs as never, projection as never) as Cursor<Doc>;
}

/**
 * Refuses a malformed or unknown stage with mongod's codes (40323, 40324) before anything runs,
 * including inside `$facet` and `$lookup`/`$unionWith` pipelines.
 */
export function assertPipelineStages(pipeline: unknown[]): void {
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw new CommandError(40323, 'A pipeline stage specification object must contain exactly one field.');
    }
    const [name, spec] = Object.entries(stage)[0]!;
    if (!MINGO_CONTEXT.getOperator(OpType.PIPELINE, name)) throw new CommandError(40324, `Unrecognized pipeline stage name: '${name}'`);
    if (name === '$facet' && isPlainObject(spec)) for (const sub of Object.values(spec)) if (Array.isArray(sub)) assertPipelineStages(sub);
    if ((name === '$lookup' || name === '$unionWith') && isPlainObject(spec) && Array.isArray(spec.pipeline)) assertPipelineStages(spec.pipeline);
  }
}
