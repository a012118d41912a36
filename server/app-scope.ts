import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';

/**
 * What belongs to one app instance rather than to the process: caches (the frozen slots of
 * attempts) and the shared-read loaders (db-batch.ts). createApp makes one AppScope and runs
 * every request in it, so two apps in one process (tests, several tenants) share none of them.
 *
 * A feature declares a part once (`scopePart`) and asks the current scope for its instance; the
 * instance is made on first use. Code run outside any app (the seed, a script, a unit test that
 * calls a service directly) gets a scope of its own for that purpose.
 */
export class AppScope {
  #made = 0;

  /** This scope's instance of a part, made on first use. */
  get<T>(part: ScopePart<T>): T {
    const made = part.instances.get(this);
    if (made) return made.value;
    const value = part.create();
    part.instances.set(this, { value });
    this.#made += 1;
    return value;
  }

  /** How many parts this scope has made so far. */
  get size(): number {
    return this.#made;
  }

  /** This scope's instance of a part if one was made, without making it. */
  peek<T>(part: ScopePart<T>): T | undefined {
    return part.instances.get(this)?.value;
  }
}

/** Something each app instance holds its own of. */
export interface ScopePart<T> {
  readonly name: string;
  create(): T;
  /**
   * Each scope's instance, kept by the part (so its type is the part's own, with no cast): boxed,
   * so an instance that is undefined still counts as made; weak, so a scope no longer used goes.
   */
  readonly instances: WeakMap<AppScope, { value: T }>;
}

/** Declares a part; `create` makes one app's instance of it. */
export function scopePart<T>(name: string, create: () => T): ScopePart<T> {
  return { name, create, instances: new WeakMap() };
}

const current = new AsyncLocalStorage<AppScope>();
const outsideAnyApp = new AppScope();

/** The scope of the app handling the current request (or the one for code outside any app). */
export function currentScope(): AppScope {
  return current.getStore() ?? outsideAnyApp;
}

/** Runs `fn` in a scope (what the middleware does for each request). */
export function runInScope<T>(scope: AppScope, fn: () => T): T {
  return current.run(scope, fn);
}

/** Runs the rest of a request's handling in the app's scope; mounted first by createApp. */
export function enterScope(scope: AppScope): RequestHandler {
  return (_req, _res, next) => current.run(scope, next);
}
