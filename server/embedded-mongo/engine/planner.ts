import type { Options } from 'mingo/types';
import type { Doc } from '../documents.ts';
import type { Collection } from './collection.ts';
import { topLevelInclusion, type Inclusion } from './fast-find.ts';
import { scalarEqualityMatcher } from './fast-filter.ts';
import { runStages, sortedByScalars, type MingoRunner, type StageContext } from './fast-stages.ts';
import { chooseIndex, indexCandidates } from './index-plan.ts';
import { compileFilter, type Matcher } from './query.ts';
import { applySimpleUpdate } from './simple-update.ts';
import type { TextTarget } from './text-query.ts';
import { checkTime } from './time-budget.ts';

/**
 * Every shortcut the engine takes around mingo's general code is chosen here, and only here:
 * the scalar equality matcher, index lookups, direct sorts and projections, the fast pipeline
 * stages, and `$set`/`$unset`/`$inc` without mingo's updater. With `fastPaths: false` each
 * decision falls back to the general path, so the test suite can run both ways and prove that
 * the shortcuts give MongoDB's answers and not answers of their own.
 */
export class Planner {
  readonly fastPaths: boolean;

  constructor(fastPaths = true) {
    this.fastPaths = fastPaths;
  }

  /**
   * A compiled filter. `text` names the collection a `$text` searches; its documents' term
   * scores are cached per stored document on the fast path, computed afresh otherwise.
   */
  filter(filter: Doc | undefined, options: Partial<Options>, text?: TextTarget): Matcher {
    // Under a collation strings compare by the collator, which only mingo's operators do here.
    if (this.fastPaths && !options.collation) {
      const fast = scalarEqualityMatcher(filter ?? {});
      if (fast) return fast;
    }
    return compileFilter(filter, options, text && { ...text, cached: this.fastPaths });
  }

  /** The documents a filter can match (callers still apply it): through an index, or all of them. */
  candidates(coll: Collection, filter: Doc | undefined): Iterable<Doc> {
    return this.fastPaths ? indexCandidates(coll, filter) : coll.docs.values();
  }

  /** The index `candidates` looks the filter up in, for explain; undefined: a collection scan. */
  chosenIndex(coll: Collection, filter: Doc | undefined): ReturnType<typeof chooseIndex> {
    return this.fastPaths ? chooseIndex(coll, filter) : undefined;
  }

  /** Documents of the collection matching the filter, in natural order. */
  *matching(coll: Collection, query: Matcher, filter: Doc | undefined): Generator<Doc> {
    for (const doc of this.candidates(coll, filter)) {
      checkTime();
      if (query.test(doc)) yield doc;
    }
  }

  /** The documents sorted without mingo, or undefined when mingo must sort them. */
  sort(docs: Doc[], spec: Doc): Doc[] | undefined {
    return this.fastPaths ? sortedByScalars(docs, spec) : undefined;
  }

  /** A top-level inclusion projection applied by copying fields, or undefined for mingo's. */
  inclusion(projection: Doc): Inclusion | undefined {
    return this.fastPaths ? topLevelInclusion(projection) : undefined;
  }

  /** Runs pipeline stages: the fast shapes directly, everything else through `runWithMingo`. */
  stages(input: Doc[], stages: Doc[], ctx: Omit<StageContext, 'planner'>, runWithMingo: MingoRunner): Doc[] {
    if (!this.fastPaths) return stages.length ? runWithMingo(input, stages) : input;
    return runStages(input, stages, { ...ctx, planner: this }, runWithMingo);
  }

  /** `$set`/`$unset`/`$inc` applied without mingo's updater, or undefined when it must run. */
  simpleUpdate(doc: Doc, modifier: Doc): { doc: Doc; changed: boolean } | undefined {
    return this.fastPaths ? applySimpleUpdate(doc, modifier) : undefined;
  }
}
