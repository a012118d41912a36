import type net from 'node:net';
import type { Doc } from './documents.ts';
import { ErrorCodes } from './errors.ts';
import { checkHeader, decodeRequest, encodeReply, readHeader, WireError, type Header } from './wire.ts';

/** Where log lines go; the shape pino and console-like loggers share. */
export interface Logger {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

/** What one connection, and all connections together, may hold in memory. */
export interface ConnectionLimits {
  /** How long a connection may sit on half a message before it is closed. */
  partialMessageTimeoutMs: number;
  /** Unwritten reply bytes past which a connection stops reading (and running) requests. */
  replyHighWaterBytes: number;
  /** Unwritten reply bytes past which a connection is closed. */
  replyCapBytes: number;
  /** How long a connection may leave its replies unread (reading paused) before it is closed. */
  unreadRepliesTimeoutMs: number;
  /** Request bytes buffered across all connections (partial messages, unread requests). */
  totalInputCapBytes: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  partialMessageTimeoutMs: 30_000,
  replyHighWaterBytes: 1024 * 1024,
  replyCapBytes: 64 * 1024 * 1024,
  unreadRepliesTimeoutMs: 60_000,
  totalInputCapBytes: 256 * 1024 * 1024,
};

/** Request bytes held across all connections of one server, against one cap. */
export class InputBudget {
  held = 0;
  peak = 0;
  constructor(readonly capBytes: number) {}

  /** Takes `n` bytes from the budget; false (nothing taken) when that would pass the cap. */
  tryHold(n: number): boolean {
    if (this.held + n > this.capBytes) return false;
    this.held += n;
    if (this.held > this.peak) this.peak = this.held;
    return true;
  }

  release(n: number): void {
    this.held -= n;
  }
}

const HEADER_BYTES = 16;

/**
 * Reassembles messages from the chunks a socket delivers. Chunks are kept in a list and copied
 * once, when the message they belong to is complete, so a message sent in many small pieces costs
 * linear work (concatenating on every chunk was quadratic).
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;
  private header: Header | undefined;
  /** Bytes copied while reassembling: at most the message plus a header's worth, per message. */
  copiedBytes = 0;

  /** Bytes received and not yet returned as a message. */
  get buffered(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The next complete message, or undefined until more bytes arrive; a bad header throws a fatal WireError. */
  next(): { header: Header; message: Buffer } | undefined {
    if (!this.header) {
      if (this.size < HEADER_BYTES) return undefined;
      const first = this.chunks[0]!.length >= HEADER_BYTES ? this.chunks[0]! : this.coalesce();
      const header = readHeader(first)!;
      checkHeader(header);
      this.header = header;
    }
    const header = this.header;
    if (this.size < header.length) return undefined;
    const all = this.chunks.length === 1 ? this.chunks[0]! : this.coalesce();
    const message = all.subarray(0, header.length);
    const rest = all.subarray(header.length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
    this.header = undefined;
    return { header, message };
  }

  private coalesce(): Buffer {
    const joined = Buffer.concat(this.chunks, this.size);
    this.copiedBytes += this.size;
    this.chunks = [joined];
    return joined;
  }
}

/** Counters of one server's connections, for tests and serverStatus-like reports. */
export interface ConnectionStats {
  /** Largest unwritten reply backlog any connection reached. */
  peakReplyBytes: number;
  /** Connections closed because their replies went unread. */
  closedForUnreadReplies: number;
  /** Connections closed because the server-wide input cap was reached. */
  closedForInputCap: number;
}

/** Runs one decoded command; returns its reply. */
export type CommandRunner = (body: Doc, db: string | undefined) => Doc;

/**
 * Serves one connection: reads messages in order, runs each, writes its reply. Stops reading
 * while its replies are not being read, closes it when that lasts or the backlog passes the cap,
 * and counts its buffered request bytes against the server-wide budget.
 */
export function serveConnection(
  socket: net.Socket,
  deps: { connectionId: number; run: CommandRunner; logger: Logger; limits: ConnectionLimits; budget: InputBudget; stats: ConnectionStats },
): void {
  const { connectionId, limits, budget, stats } = deps;
  const reader = new FrameReader();
  let stallTimer: NodeJS.Timeout | undefined;
  let unreadTimer: NodeJS.Timeout | undefined;
  let waitingForDrain = false;

  const fail = (reason: string, msg = 'closing connection after a malformed message'): void => {
    if (socket.destroyed) return;
    deps.logger.warn({ connectionId, reason }, msg);
    socket.destroy();
  };

  const waitForDrain = (): void => {
    waitingForDrain = true;
    socket.pause();
    unreadTimer ??= setTimeout(() => {
      stats.closedForUnreadReplies++;
      fail(`replies unread for ${limits.unreadRepliesTimeoutMs} ms`, 'closing connection that does not read its replies');
    }, limits.unreadRepliesTimeoutMs);
  };

  const answer = (header: Header, message: Buffer): void => {
    let reply: Doc;
    let request: { requestId: number; legacy: boolean; noReply: boolean } = { requestId: header.requestId, legacy: header.opCode === 2004, noReply: false };
    try {
      const decoded = decodeRequest(message, header);
      request = decoded;
      reply = deps.run(decoded.body, decoded.db);
    } catch (err) {
      if (!(err instanceof WireError) || err.fatal) throw err;
      reply = { ok: 0, errmsg: err.message, code: ErrorCodes.InvalidBSON, codeName: 'InvalidBSON' };
    }
    if (!request.noReply) socket.write(encodeReply(request, reply));
    if (socket.writableLength > stats.peakReplyBytes) stats.peakReplyBytes = socket.writableLength;
  };

  const pump = (): void => {
    try {
      while (!socket.destroyed) {
        // A client that does not read its replies gets no more work done for it (backpressure).
        if (socket.writableLength >= limits.replyHighWaterBytes) return waitForDrain();
        const frame = reader.next();
        if (!frame) break;
        budget.release(frame.header.length);
        answer(frame.header, frame.message);
        if (socket.writableLength > limits.replyCapBytes) {
          stats.closedForUnreadReplies++;
          return fail(`${socket.writableLength} reply bytes unread`, 'closing connection that does not read its replies');
        }
      }
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
    // A peer that stops mid-message (or lied about the length) must not hold the connection forever.
    if (stallTimer) clearTimeout(stallTimer);
    stallTimer = reader.buffered > 0 && !socket.destroyed ? setTimeout(() => fail('incomplete message timed out'), limits.partialMessageTimeoutMs) : undefined;
  };

  socket.on('data', (chunk: Buffer) => {
    if (!budget.tryHold(chunk.length)) {
      stats.closedForInputCap++;
      fail(`server-wide input cap of ${limits.totalInputCapBytes} bytes reached`, 'closing connection: too many request bytes buffered');
      return;
    }
    reader.push(chunk);
    if (!waitingForDrain) pump();
  });
  socket.on('drain', () => {
    if (!waitingForDrain) return;
    waitingForDrain = false;
    if (unreadTimer) clearTimeout(unreadTimer);
    unreadTimer = undefined;
    socket.resume();
    pump();
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    if (stallTimer) clearTimeout(stallTimer);
    if (unreadTimer) clearTimeout(unreadTimer);
    budget.release(reader.buffered);
  });
}
