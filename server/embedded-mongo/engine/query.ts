import type { Options } from 'mingo/types';
import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, type Doc } from '../documents.ts';
import { schemaValidator } from './json-schema.ts';
import { assertBoundedRegex } from './regex-guard.ts';
import { Aggregator, MINGO_CONTEXT, Query } from './mingo.ts';
import { splitTextFilter, type TextTarget } from './text-query.ts';

const UNSUPPORTED_QUERY_OPERATORS: Record<string, string> = {
  $where: '$where (server-side JavaScript) is not supported by the embedded server',
  $function: '$function (server-side JavaScript) is not supported by the embedded server',
  $accumulator: '$accumulator (server-side JavaScript) is not supported by the embedded server',
};

const UNSUPPORTED_STAGES: Record<string, string> = {
  $changeStream: 'Change streams are not supported by the embedded server (they need a replica set)',
  // A final $out or $merge is taken off the pipeline first (crud-read.ts): these are nested ones.
  $out: '$out is only supported as the final stage of an aggregate, not inside $facet, $lookup or $unionWith',
  $merge: '$merge is only supported as the final stage of an aggregate, not inside $facet, $lookup or $unionWith',
  // A leading $geoNear is run by crud-read.ts; one in $facet, $lookup or $unionWith is refused.
  $geoNear: '$geoNear is only supported as the first stage of an aggregate on a collection by the embedded server',
  $search: '$search (Atlas Search) is not supported by the embedded server',
  $searchMeta: '$searchMeta (Atlas Search) is not supported by the embedded server',
  $vectorSearch: '$vectorSearch (Atlas Search) is not supported by the embedded server',
  $collStats: '$collStats is not supported by the embedded server',
  $indexStats: '$indexStats is not supported by the embedded server',
  $currentOp: '$currentOp is not supported by the embedded server',
  $listSessions: '$listSessions is not supported by the embedded server',
  $listLocalSessions: '$listLocalSessions is not supported by the embedded server',
};

/** mongod's answer to $near in a context that cannot sort by distance (an aggregate's $match, countDocuments, a write). */
const NEAR_NOT_ALLOWED =
  '$geoNear, $near, and $nearSphere are not allowed in this context, as these operators require sorting geospatial data. If you do not need sort, consider using $geoWithin instead. Check out https://dochub.mongodb.org/core/near-sort-operation and https://dochub.mongodb.org/core/nearSphere-sort-operationfor more details.';

const REGEX_EXPRESSIONS = ['$regexMatch', '$regexFind', '$regexFindAll'];

function assertRegexSpec(regex: unknown, options: unknown): void {
  const flags = typeof options === 'string' ? options : regex instanceof RegExp ? regex.flags : '';
  if (typeof regex === 'string') assertBoundedRegex(regex, flags);
  else if (regex instanceof RegExp) assertBoundedRegex(regex.source, flags);
}

/** Refuses operators the embedded server does not implement, and regexes that could take exponential time (regex-guard.ts), with a clear message. */
export function assertSupported(expr: unknown): void {
  if (expr instanceof RegExp) {
    assertBoundedRegex(expr.source, expr.flags);
  } else if (Array.isArray(expr)) {
    for (const item of expr) assertSupported(item);
  } else if (isPlainObject(expr)) {
    // `{ $regex, $options }` in a filter; `{ regex, options }` of $regexMatch/$regexFind/$regexFindAll.
    if ('$regex' in expr) assertRegexSpec(expr.$regex, expr.$options);
    for (const op of REGEX_EXPRESSIONS) if (isPlainObject(expr[op])) assertRegexSpec((expr[op] as Doc).regex, (expr[op] as Doc).options);
    for (const [key, value] of Object.entries(expr)) {
      // `$text`'s operand (`$search`, `$language`, ...) is checked by text-query.ts.
      if (key === '$text') continue;
      // Own properties only: a field named `constructor` is not an operator.
      const message = Object.hasOwn(UNSUPPORTED_QUERY_OPERATORS, key)
        ? UNSUPPORTED_QUERY_OPERATORS[key]
        : Object.hasOwn(UNSUPPORTED_STAGES, key)
          ? UNSUPPORTED_STAGES[key]
          : undefined;
      if (message) throw new CommandError(ErrorCodes.NotImplemented, message);
      // A find's top-level $near is taken off first (geo-query.ts): anywhere else is mongod's refusal.
      if (key === '$near' || key === '$nearSphere') throw new CommandError(5626500, NEAR_NOT_ALLOWED);
      assertSupported(value);
    }
  }
}

/** Builds the mingo options for one database: `$lookup` resolves names to its collections. */
export function mingoOptions(resolve: (name: string) => Doc[], variables?: Doc): Partial<Options> {
  return { collectionResolver: resolve, context: MINGO_CONTEXT, jsonSchemaValidator: schemaValidator, ...(variables ? { variables } : {}) };
}

/** A compiled filter: anything that can test a document. */
export interface Matcher {
  test(doc: Doc): boolean;
}

/**
 * Compiles a filter after refusing unsupported operators. A `$text` is compiled against the
 * target collection's text index (text-query.ts) and tested after mingo's part of the filter.
 */
export function compileFilter(filter: Doc | undefined, options: Partial<Options>, text?: TextTarget): Matcher {
  // A top-level `$comment` is a note for the logs, which mingo does not know.
  const { $comment: _comment, ...condition } = filter ?? {};
  const { text: textMatcher, rest } = splitTextFilter(condition, text);
  assertSupported(rest);
  const query = new Query(rest, options) as Matcher;
  return textMatcher ? { test: (doc) => query.test(doc) && textMatcher.test(doc) } : query;
}

/** Builds an aggregation pipeline after refusing unsupported stages and operators. */
export function compilePipeline(pipeline: Doc[], options: Partial<Options>): Aggregator {
  assertSupported(pipeline);
  return new Aggregator(pipeline, options);
}
