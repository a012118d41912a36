import net from 'node:net';
import type { Doc } from './documents.ts';
import { runCommand } from './commands/dispatch.ts';
import type { CommandContext } from './commands/context.ts';
import { ErrorCodes } from './errors.ts';
import type { Engine } from './engine/engine.ts';
import { checkHeader, decodeRequest, encodeReply, readHeader, WireError } from './wire.ts';

/** Where log lines go; the shape pino and console-like loggers share. */
export interface Logger {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

/** A listening wire-protocol server over an engine. */
export interface WireServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Accepts TCP connections and answers each message in order. A message that cannot be
 * framed closes only its own connection; a bad command gets an error reply.
 */
export async function listenWire(engine: Engine, opts: { host: string; port: number; logger: Logger; partialMessageTimeoutMs: number }): Promise<WireServer> {
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

  const server = net.createServer((socket) => {
    const connectionId = ++connectionIds;
    sockets.add(socket);
    socket.setNoDelay(true);
    const ctx: Omit<CommandContext, 'db'> = { engine, connectionId, client: `${socket.remoteAddress}:${socket.remotePort}`, server: serverInfo };
    let pending: Buffer = Buffer.alloc(0);
    let stallTimer: NodeJS.Timeout | undefined;

    const fail = (reason: string): void => {
      opts.logger.warn({ connectionId, reason }, 'closing connection after a malformed message');
      socket.destroy();
    };

    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      try {
        while (!socket.destroyed) {
          const header = readHeader(pending);
          if (!header) break;
          checkHeader(header);
          if (pending.length < header.length) break;
          const message = pending.subarray(0, header.length);
          pending = pending.subarray(header.length);
          let reply: Doc;
          let request: { requestId: number; legacy: boolean; noReply: boolean } = { requestId: header.requestId, legacy: header.opCode === 2004, noReply: false };
          try {
            const decoded = decodeRequest(message, header);
            request = decoded;
            reply = runCommand(decoded.body, ctx, decoded.db);
          } catch (err) {
            if (!(err instanceof WireError) || err.fatal) throw err;
            reply = { ok: 0, errmsg: err.message, code: ErrorCodes.InvalidBSON, codeName: 'InvalidBSON' };
          }
          if (!request.noReply) socket.write(encodeReply(request, reply));
        }
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err));
        return;
      }
      // A peer that stops mid-message (or lied about the length) must not hold the connection forever.
      if (stallTimer) clearTimeout(stallTimer);
      stallTimer = pending.length > 0 ? setTimeout(() => fail('incomplete message timed out'), opts.partialMessageTimeoutMs) : undefined;
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (stallTimer) clearTimeout(stallTimer);
      sockets.delete(socket);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => opts.logger.error({ err }, 'embedded mongo server error'));
  const address = server.address() as net.AddressInfo;
  serverInfo.port = address.port;

  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
