import { CommandError, ErrorCodes, errorReply, TRANSACTIONS_UNSUPPORTED } from '../errors.ts';
import type { Doc } from '../documents.ts';
import { adminCommands } from './admin.ts';
import { collectionCommands } from './collections.ts';
import type { CommandContext, CommandHandler } from './context.ts';
import { readCommands } from './crud-read.ts';
import { writeCommands } from './crud-write.ts';

const handlers = new Map<string, CommandHandler>(Object.entries({ ...adminCommands, ...collectionCommands, ...readCommands, ...writeCommands }));

/** Runs one command document and returns its reply; never throws. */
export function runCommand(cmd: Doc, ctx: Omit<CommandContext, 'db'>, fallbackDb = 'admin'): Doc {
  try {
    const name = Object.keys(cmd)[0];
    if (name === undefined) throw new CommandError(ErrorCodes.FailedToParse, 'Empty command document');
    if (cmd.txnNumber !== undefined || cmd.startTransaction !== undefined || cmd.autocommit !== undefined) {
      throw new CommandError(
        ErrorCodes.IllegalOperation,
        TRANSACTIONS_UNSUPPORTED,
      );
    }
    const handler = handlers.get(name);
    if (!handler) throw new CommandError(ErrorCodes.CommandNotFound, `no such command: '${name}'`);
    const db = typeof cmd.$db === 'string' ? cmd.$db : fallbackDb;
    return handler(cmd, { ...ctx, db });
  } catch (err) {
    return errorReply(err);
  }
}
