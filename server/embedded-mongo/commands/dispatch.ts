import { CommandError, ErrorCodes, errorReply, TRANSACTIONS_UNSUPPORTED } from '../errors.ts';
import type { Doc } from '../documents.ts';
import { adminCommands } from './admin.ts';
import { authCommands, checkAuthorized, withHelloAuth } from './auth.ts';
import { collectionCommands } from './collections.ts';
import type { CommandContext, CommandHandler } from './context.ts';
import { readCommands } from './crud-read.ts';
import { explain } from './explain.ts';
import { renameCollection } from './rename.ts';
import { writeCommands } from './crud-write.ts';
import { parseMaxTimeMS, withTimeLimit } from '../engine/time-budget.ts';
import { withTextScores } from '../engine/text-scores.ts';

const handlers = new Map<string, CommandHandler>(
  Object.entries({ ...adminCommands, ...authCommands, ...collectionCommands, ...readCommands, ...writeCommands }),
);
for (const name of ['hello', 'isMaster', 'ismaster']) handlers.set(name, withHelloAuth(handlers.get(name)!));
handlers.set('renameCollection', renameCollection);
handlers.set('explain', (cmd, ctx) => explain(cmd, ctx, (inner) => handlers.get(Object.keys(inner)[0]!)!(inner, ctx)));

/** Runs one command document and returns its reply; never throws. */
export function runCommand(cmd: Doc, ctx: Omit<CommandContext, 'db'>, fallbackDb = 'admin'): Doc {
  try {
    const name = Object.keys(cmd)[0];
    if (name === undefined) throw new CommandError(ErrorCodes.FailedToParse, 'Empty command document');
    if (cmd.txnNumber !== undefined || cmd.startTransaction !== undefined || cmd.autocommit !== undefined) {
      throw new CommandError(ErrorCodes.IllegalOperation, TRANSACTIONS_UNSUPPORTED);
    }
    const handler = handlers.get(name);
    if (!handler) throw new CommandError(ErrorCodes.CommandNotFound, `no such command: '${name}'`);
    checkAuthorized(name, ctx);
    const db = typeof cmd.$db === 'string' ? cmd.$db : fallbackDb;
    // maxTimeMS when the command gives one, else the server's default budget.
    const budget = parseMaxTimeMS(cmd.maxTimeMS) ?? ctx.defaultMaxTimeMs ?? 0;
    // Text scores belong to the command that computed them.
    return withTimeLimit(budget, () => withTextScores(() => handler(cmd, { ...ctx, db })));
  } catch (err) {
    if (!isBug(err)) return errorReply(err);
    // A fault in the server, not in the command: say so (InternalError, code 1, as MongoDB does)
    // and keep the stack where whoever runs the server sees it.
    (ctx.logError ?? logToStderr)(err, Object.keys(cmd)[0] ?? '');
    return {
      ok: 0,
      errmsg: `internal error: ${(err as Error | undefined)?.message ?? String(err)}`,
      code: ErrorCodes.InternalError,
      codeName: 'InternalError',
    };
  }
}

/**
 * Errors no command should cause: JavaScript's own (a TypeError from reading a field of
 * undefined, ...) and anything thrown that is not an Error. Plain Errors from mingo and bson
 * (a bad operator, a bad value) stay the client's fault (BadValue, in errorReply).
 */
function isBug(err: unknown): boolean {
  if (err instanceof CommandError) return false;
  if (!(err instanceof Error)) return true;
  return err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || err instanceof SyntaxError || err instanceof EvalError;
}

function logToStderr(err: unknown, command: string): void {
  process.stderr.write(`embedded-mongo: internal error in '${command}': ${(err as Error | undefined)?.stack ?? String(err)}\n`);
}
