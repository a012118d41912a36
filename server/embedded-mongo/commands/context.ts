import { CommandError, ErrorCodes } from '../errors.ts';
import type { Doc } from '../documents.ts';
import type { Engine } from '../engine/engine.ts';
import type { ConnectionAuth } from './auth.ts';

/** What a command handler may use besides its command document. */
export interface CommandContext {
  engine: Engine;
  /** The database the command runs against (`$db`). */
  db: string;
  connectionId: number;
  /** `ip:port` of the client. */
  client: string;
  /**
   * The connection's authentication state. The wire server always sets it; only in-process
   * callers, which hold the engine itself anyway, run commands without one.
   */
  auth?: ConnectionAuth;
  server: { host: string; port: number; startedAt: number; connections: () => number; totalConnections: () => number };
  /** Milliseconds a command without `maxTimeMS` may run (0 or unset: no limit). */
  defaultMaxTimeMs?: number;
  /** Where a fault in the server (not in the command) is reported; stderr when not given. */
  logError?: (err: unknown, command: string) => void;
}

/** A command: a function from the command document to the reply document. */
export type CommandHandler = (cmd: Doc, ctx: CommandContext) => Doc;

/** The collection name a command targets (its first field's value), validated. */
export function targetName(cmd: Doc): string {
  const name = Object.values(cmd)[0];
  if (typeof name !== 'string' || name.length === 0) {
    throw new CommandError(ErrorCodes.InvalidNamespace, `collection name has invalid type ${typeof name}`);
  }
  return name;
}
