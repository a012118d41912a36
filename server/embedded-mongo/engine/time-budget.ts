import { CommandError, ErrorCodes } from '../errors.ts';

/**
 * The time budget of the command running now. Commands run one at a time on the database
 * thread and synchronously, so one deadline for the thread is the command's. Work that loops
 * over documents or evaluates operators calls `checkTime`, which reads the clock every 256 calls,
 * so a command past its budget stops with MaxTimeMSExpired (50) at the next check, as mongod
 * does at its interrupt points, and leaves nothing changed (writes commit only at the end).
 */
let deadline = Infinity;
let calls = 0;

/** Runs `fn` with `ms` milliseconds to finish (0 or less: no limit). */
export function withTimeLimit<T>(ms: number, fn: () => T): T {
  const outer = deadline;
  deadline = ms > 0 ? Math.min(outer, Date.now() + ms) : outer;
  calls = 0;
  try {
    return fn();
  } finally {
    deadline = outer;
  }
}

/** An interrupt point: throws MaxTimeMSExpired once the running command is past its budget. */
export function checkTime(): void {
  if ((++calls & 255) !== 0 || deadline === Infinity) return;
  if (Date.now() > deadline) throw new CommandError(ErrorCodes.MaxTimeMSExpired, 'operation exceeded time limit');
}

type Operator = (...args: never[]) => unknown;

/** An operator table whose every operator is an interrupt point (mingo's per-document work). */
export function interruptible<T extends object>(table: T): T {
  const wrapped: Record<string, Operator> = {};
  for (const [name, op] of Object.entries(table) as [string, unknown][]) {
    if (typeof op !== 'function') continue;
    const fn = op as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      checkTime();
      return fn(...args);
    };
  }
  return wrapped as T;
}

/** The `maxTimeMS` of a command, validated as mongod does; undefined when not given (or 0). */
export function parseMaxTimeMS(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint'
        ? Number(value)
        : typeof (value as { toNumber?: unknown }).toNumber === 'function'
          ? (value as { toNumber(): number }).toNumber()
          : NaN;
  if (!Number.isFinite(n)) throw new CommandError(ErrorCodes.BadValue, 'maxTimeMS must be a number');
  if (n < 0 || n > 2 ** 31 - 1) throw new CommandError(ErrorCodes.BadValue, `${n} value for maxTimeMS is out of range [0, 2147483647]`);
  if (!Number.isInteger(n)) throw new CommandError(ErrorCodes.BadValue, 'maxTimeMS has a fractional component');
  return n === 0 ? undefined : n;
}
