import fs from 'node:fs';
import net from 'node:net';
import type { ServerCredentials } from './auth/credentials.ts';
import { runCommand } from './commands/dispatch.ts';
import type { CommandContext } from './commands/context.ts';
import type { Engine } from './engine/engine.ts';
import { DEFAULT_CONNECTION_LIMITS, InputBudget, serveConnection, type ConnectionLimits, type ConnectionStats, type Logger } from './connection.ts';

export type { Logger } from './connection.ts';

/** A listening wire-protocol server over an engine. */
export interface WireServer {
  port: number;
  /** The Unix domain socket, when one was asked for. */
  socketPath: string | undefined;
  /** Request bytes buffered across connections now, and backpressure counters. */
  stats(): ConnectionStats & { connections: number; inputBytes: number; peakInputBytes: number };
  close(): Promise<void>;
}

/** Where to listen and whom to let in. */
export interface ListenOptions {
  host: string;
  /** TCP port; 0 picks a free one (pass the port of a previous listener to come back on it). */
  port: number;
  /** A Unix domain socket to listen on as well (mode 0600; a stale file there is replaced). */
  socketPath?: string;
  /** TCP clients must authenticate as this user (SCRAM-SHA-256); socket clients need not. */
  credentials: ServerCredentials;
  logger: Logger;
  /** Backpressure and buffering limits (connection.ts); each defaults to DEFAULT_CONNECTION_LIMITS. */
  limits?: Partial<ConnectionLimits>;
  /** Milliseconds a command without `maxTimeMS` may run (0: no limit). */
  defaultMaxTimeMs?: number;
}

/**
 * Accepts TCP connections (which must authenticate) and, when asked, connections on an
 * owner-only Unix socket (which need not: the file permission is the wall), each served by
 * serveConnection (connection.ts), with limits on the bytes it may buffer. A message that cannot
 * be framed closes only its own connection; a bad command gets an error reply.
 */
export async function listenWire(engine: Engine, opts: ListenOptions): Promise<WireServer> {
  const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...opts.limits };
  const budget = new InputBudget(limits.totalInputCapBytes);
  const stats: ConnectionStats = { peakReplyBytes: 0, closedForUnreadReplies: 0, closedForInputCap: 0 };
  const sockets = new Set<net.Socket>();
  let connectionIds = 0;
  const startedAt = Date.now();
  const serverInfo: CommandContext['server'] = {
    host: opts.host,
    port: 0,
    startedAt,
    connections: () => sockets.size,
    totalConnections: () => connectionIds,
  };

  const onConnection = (socket: net.Socket, local: boolean): void => {
    const connectionId = ++connectionIds;
    sockets.add(socket);
    if (!local) socket.setNoDelay(true);
    const client = local ? 'unix socket' : `${socket.remoteAddress}:${socket.remotePort}`;
    const ctx: Omit<CommandContext, 'db'> = {
      engine,
      connectionId,
      client,
      server: serverInfo,
      auth: { credentials: opts.credentials, authenticated: local },
      defaultMaxTimeMs: opts.defaultMaxTimeMs,
    };
    serveConnection(socket, { connectionId, run: (body, db) => runCommand(body, ctx, db), logger: opts.logger, limits, budget, stats });
    socket.on('close', () => sockets.delete(socket));
  };

  const tcp = net.createServer((socket) => onConnection(socket, false));
  await listen(tcp, (done) => tcp.listen(opts.port, opts.host, done));
  const listeners = [tcp];
  if (opts.socketPath) {
    const socketPath = opts.socketPath;
    removeStaleSocket(socketPath);
    const unix = net.createServer((socket) => onConnection(socket, true));
    try {
      await listen(unix, (done) => unix.listen(socketPath, done));
      fs.chmodSync(socketPath, 0o600);
    } catch (err) {
      tcp.close();
      unix.close();
      throw err;
    }
    listeners.push(unix);
  }
  for (const l of listeners) l.on('error', (err) => opts.logger.error({ err }, 'embedded mongo server error'));
  const address = tcp.address() as net.AddressInfo;
  serverInfo.port = address.port;

  return {
    port: address.port,
    socketPath: opts.socketPath,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      // Closing a Unix-socket server removes its file.
      await Promise.all(listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))));
    },
    stats: () => ({ ...stats, connections: sockets.size, inputBytes: budget.held, peakInputBytes: budget.peak }),
  };
}

function listen(server: net.Server, start: (done: () => void) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    start(() => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * A socket file left by a server that was killed would make listen fail with EADDRINUSE. The
 * caller owns the path (it holds the data-directory lock), so such a file is stale; anything
 * that is not a socket is left alone and reported.
 */
function removeStaleSocket(socketPath: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(socketPath);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new Error(`Cannot listen on ${socketPath}: a file that is not a socket is in the way`);
  fs.unlinkSync(socketPath);
}
