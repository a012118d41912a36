import { CommandError, ErrorCodes } from '../errors.ts';
import { isPlainObject, type Doc } from '../documents.ts';
import type { Collection } from '../engine/collection.ts';
import type { CommandContext } from './context.ts';

const VERBOSITIES = new Set(['queryPlanner', 'executionStats', 'allPlansExecution']);

/** The plan the planner takes for a filter: an index lookup (FETCH over IXSCAN) or a COLLSCAN. */
function winningPlan(coll: Collection | undefined, filter: Doc, ctx: CommandContext): Doc {
  const chosen = coll ? ctx.engine.planner.chosenIndex(coll, filter) : undefined;
  if (!chosen) return { stage: 'COLLSCAN', filter, direction: 'forward' };
  const name = chosen.index === '_id_' ? '_id_' : chosen.index.name;
  const keyPattern = chosen.index === '_id_' ? { _id: 1 } : chosen.index.spec.key;
  const ixscan = {
    stage: 'IXSCAN',
    keyPattern,
    indexName: name,
    isMultiKey: false,
    isUnique: chosen.index === '_id_' || chosen.index.unique,
    direction: 'forward',
    indexBounds: { [chosen.field]: chosen.values.map((v) => `[${JSON.stringify(v)}, ${JSON.stringify(v)}]`) },
  };
  return { stage: 'FETCH', filter, inputStage: ixscan };
}

function queryPlanner(ns: string, filter: Doc, plan: Doc): Doc {
  return {
    namespace: ns,
    indexFilterSet: false,
    parsedQuery: filter,
    maxIndexedOrSolutionsReached: false,
    maxIndexedAndSolutionsReached: false,
    maxScansToExplodeReached: false,
    winningPlan: plan,
    rejectedPlans: [],
  };
}

/** How many documents the plan reads: the lookup's candidates, or the whole collection. */
function docsExamined(coll: Collection | undefined, filter: Doc, ctx: CommandContext): number {
  if (!coll) return 0;
  let n = 0;
  for (const _ of ctx.engine.planner.candidates(coll, filter)) n++;
  return n;
}

/**
 * `explain` of find, count, distinct and aggregate (also `aggregate` with `explain: true`):
 * the planner's choice as mongod's queryPlanner shapes it, and with `executionStats` the
 * command run for its counts. Plans are plan-independent here (one candidate), so rejectedPlans is empty.
 */
export function explain(cmd: Doc, ctx: CommandContext, run: (inner: Doc) => Doc): Doc {
  const inner = (isPlainObject(cmd.explain) ? cmd.explain : cmd) as Doc;
  const verbosity = typeof cmd.verbosity === 'string' ? cmd.verbosity : cmd.explain === true ? 'queryPlanner' : 'allPlansExecution';
  if (!VERBOSITIES.has(verbosity))
    throw new CommandError(ErrorCodes.BadValue, `verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}`);
  const kind = Object.keys(inner)[0];
  if (kind !== 'find' && kind !== 'aggregate' && kind !== 'count' && kind !== 'distinct') {
    throw new CommandError(
      ErrorCodes.NotImplemented,
      `explain of ${kind ?? 'an empty command'} is not supported by the embedded server (find, aggregate, count and distinct are)`,
    );
  }
  const name = inner[kind];
  if (typeof name !== 'string') throw new CommandError(ErrorCodes.InvalidNamespace, 'explain needs a collection name');
  const ns = `${ctx.db}.${name}`;
  const coll = ctx.engine.getCollection(ctx.db, name);
  const pipeline = kind === 'aggregate' && Array.isArray(inner.pipeline) ? (inner.pipeline as Doc[]) : undefined;
  const leading = pipeline?.[0] && isPlainObject(pipeline[0].$match) ? (pipeline[0].$match as Doc) : undefined;
  const filter = ((kind === 'find' ? inner.filter : kind === 'aggregate' ? leading : inner.query) ?? {}) as Doc;
  const plan = winningPlan(coll, filter, ctx);
  const reply: Doc = { explainVersion: '1', queryPlanner: queryPlanner(ns, filter, plan) };
  if (verbosity !== 'queryPlanner') {
    const started = Date.now();
    const { explain: _e, verbosity: _v, ...command } = inner;
    const result = run(
      kind === 'find' ? { ...command, singleBatch: true } : kind === 'aggregate' ? { ...command, cursor: { batchSize: 2 ** 31 - 1 } } : command,
    );
    if (result.ok !== 1) return result;
    const cursor = result.cursor as { firstBatch?: unknown[] } | undefined;
    const nReturned = cursor?.firstBatch?.length ?? (typeof result.n === 'number' ? result.n : Array.isArray(result.values) ? result.values.length : 0);
    const examined = docsExamined(coll, filter, ctx);
    const keys = plan.stage === 'FETCH' ? examined : 0;
    reply.executionStats = {
      executionSuccess: true,
      nReturned,
      executionTimeMillis: Date.now() - started,
      totalKeysExamined: keys,
      totalDocsExamined: examined,
      executionStages: { ...plan, nReturned, docsExamined: examined },
    };
  }
  if (pipeline) reply.stages = [{ $cursor: { queryPlanner: reply.queryPlanner } }, ...pipeline.slice(leading ? 1 : 0)];
  return { ...reply, command: inner, serverInfo: { host: ctx.server.host, port: ctx.server.port, version: '7.0.0' }, ok: 1 };
}
