import { Binary } from 'bson';
import { CommandError, ErrorCodes } from '../errors.ts';
import type { Doc } from '../documents.ts';
import type { ServerCredentials } from '../auth/credentials.ts';
import { parseClientFirst, ScramError, serverFirst, verifyClientFinal } from '../auth/scram.ts';
import type { CommandContext, CommandHandler } from './context.ts';

const MECHANISM = 'SCRAM-SHA-256';
/** Users live on the admin database, as MongoDB's do; clients say `authSource=admin`. */
const AUTH_DB = 'admin';

/** The authentication state of one connection. */
export interface ConnectionAuth {
  readonly credentials: ServerCredentials;
  /** True once the client proved the password; from the start on the owner-only Unix socket. */
  authenticated: boolean;
  /** The SCRAM exchange in progress, between saslStart and saslContinue. */
  conversation?: { id: number; clientFirstBare: string; serverFirst: string; nonce: string };
}

/**
 * Commands a client may send before it authenticates, as mongod allows them: the handshake,
 * the SASL conversation and a few harmless probes. Everything else answers Unauthorized (13).
 */
const OPEN_COMMANDS = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'buildInfo',
  'buildinfo',
  'saslStart',
  'saslContinue',
  'authenticate',
  'getnonce',
  'logout',
  'ping',
]);

/** Throws MongoDB's Unauthorized unless the connection may run `name`. */
export function checkAuthorized(name: string, ctx: Pick<CommandContext, 'auth'>): void {
  if (!ctx.auth || ctx.auth.authenticated || OPEN_COMMANDS.has(name)) return;
  throw new CommandError(ErrorCodes.Unauthorized, `command ${name} requires authentication`);
}

const authFailed = (): CommandError => new CommandError(ErrorCodes.AuthenticationFailed, 'Authentication failed.');

function payloadText(payload: unknown): string {
  if (payload instanceof Binary) return Buffer.from(payload.buffer.subarray(0, payload.position)).toString('utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  if (typeof payload === 'string') return payload;
  throw new CommandError(ErrorCodes.BadValue, 'payload must be BinData');
}

let conversationIds = 0;

/** saslStart: checks the mechanism and the user, and answers the server-first message. */
function saslStart(cmd: Doc, ctx: CommandContext): Doc {
  const auth = ctx.auth;
  if (!auth) throw new CommandError(ErrorCodes.IllegalOperation, 'authentication needs a connection');
  if (cmd.mechanism !== MECHANISM) {
    throw new CommandError(
      ErrorCodes.MechanismUnavailable,
      `Received authentication for mechanism ${String(cmd.mechanism)} which is not enabled; the embedded server supports ${MECHANISM} only`,
    );
  }
  auth.conversation = undefined;
  let first;
  try {
    first = parseClientFirst(payloadText(cmd.payload));
  } catch (err) {
    if (err instanceof ScramError) throw authFailed();
    throw err;
  }
  // An unknown user fails the same way as a wrong password, so names cannot be probed.
  if (ctx.db !== AUTH_DB || first.username !== auth.credentials.username) throw authFailed();
  const reply = serverFirst(auth.credentials.secrets, first.clientNonce);
  const id = ++conversationIds;
  auth.conversation = { id, clientFirstBare: first.bare, serverFirst: reply.message, nonce: reply.nonce };
  return { conversationId: id, done: false, payload: new Binary(Buffer.from(reply.message, 'utf8')), ok: 1 };
}

/** saslContinue: checks the client proof; success authenticates the connection in one round trip. */
function saslContinue(cmd: Doc, ctx: CommandContext): Doc {
  const auth = ctx.auth;
  const conversation = auth?.conversation;
  if (!auth || !conversation || Number(cmd.conversationId) !== conversation.id) {
    throw new CommandError(ErrorCodes.ProtocolError, 'No SASL session state found');
  }
  auth.conversation = undefined;
  let final: string;
  try {
    final = verifyClientFinal(auth.credentials.secrets, conversation, payloadText(cmd.payload));
  } catch (err) {
    if (err instanceof ScramError) throw authFailed();
    throw err;
  }
  auth.authenticated = true;
  return { conversationId: conversation.id, done: true, payload: new Binary(Buffer.from(final, 'utf8')), ok: 1 };
}

/**
 * hello with `saslSupportedMechs: "admin.<user>"` learns the mechanisms for that user, and with
 * `speculativeAuthenticate` gets saslStart's answer in the same round trip (what drivers send).
 * A failed speculative start is left out of the reply: the driver then runs saslStart itself.
 */
export function withHelloAuth(hello: CommandHandler): CommandHandler {
  return (cmd, ctx) => {
    const reply = hello(cmd, ctx);
    const auth = ctx.auth;
    if (!auth) return reply;
    if (cmd.saslSupportedMechs === `${AUTH_DB}.${auth.credentials.username}`) reply.saslSupportedMechs = [MECHANISM];
    const speculative = cmd.speculativeAuthenticate as Doc | undefined;
    if (speculative && typeof speculative === 'object' && speculative.saslStart !== undefined) {
      try {
        const { ok: _ok, ...started } = saslStart(speculative, { ...ctx, db: typeof speculative.db === 'string' ? speculative.db : AUTH_DB });
        reply.speculativeAuthenticate = started;
      } catch (err) {
        if (!(err instanceof CommandError)) throw err;
      }
    }
    return reply;
  };
}

function authenticate(cmd: Doc): Doc {
  throw new CommandError(
    ErrorCodes.MechanismUnavailable,
    `Auth mechanism ${String(cmd.mechanism)} is not supported; the embedded server supports ${MECHANISM} (saslStart) only`,
  );
}

/** The SASL conversation commands. */
export const authCommands: Record<string, CommandHandler> = { saslStart, saslContinue, authenticate };
