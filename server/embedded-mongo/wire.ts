import { serialize } from 'bson';
import type { Doc } from './documents.ts';
import { decodeDoc } from './engine/engine.ts';

/** Opcodes of the messages this server reads and writes. */
export const OpCodes = { reply: 1, query: 2004, compressed: 2012, msg: 2013 } as const;

/** Largest message accepted, as advertised in the handshake. */
export const MAX_MESSAGE_BYTES = 48_000_000;
/** Largest document accepted, as advertised in the handshake. */
export const MAX_BSON_BYTES = 16 * 1024 * 1024;
const HEADER_BYTES = 16;

const FLAG_CHECKSUM = 1;
const FLAG_MORE_TO_COME = 2;

/** The 16-byte header every message starts with. */
export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** A decoded request: a command document, and how to answer it. */
export interface Request {
  requestId: number;
  /** OP_QUERY is answered with OP_REPLY, OP_MSG with OP_MSG. */
  legacy: boolean;
  /** OP_MSG moreToCome: the client expects no reply. */
  noReply: boolean;
  /** Database named by OP_QUERY's `db.$cmd`; OP_MSG carries `$db` in the body. */
  db?: string;
  body: Doc;
}

/** A framing error: the message cannot be understood. */
export class WireError extends Error {
  /** When true the stream is out of step and the connection must be closed. */
  readonly fatal: boolean;
  constructor(message: string, fatal: boolean) {
    super(message);
    this.name = 'WireError';
    this.fatal = fatal;
  }
}

/** Reads a header; undefined when fewer than 16 bytes are buffered. */
export function readHeader(buf: Buffer): Header | undefined {
  if (buf.length < HEADER_BYTES) return undefined;
  return { length: buf.readInt32LE(0), requestId: buf.readInt32LE(4), responseTo: buf.readInt32LE(8), opCode: buf.readInt32LE(12) };
}

/** Checks a header before waiting for its body, so a lying length cannot make us buffer forever. */
export function checkHeader(header: Header): void {
  if (header.length < HEADER_BYTES + 5 || header.length > MAX_MESSAGE_BYTES) {
    throw new WireError(`Invalid message length ${header.length}`, true);
  }
  if (header.opCode !== OpCodes.msg && header.opCode !== OpCodes.query) {
    const why =
      header.opCode === OpCodes.compressed ? 'OP_COMPRESSED is not supported (compression was not negotiated)' : `Unsupported opcode ${header.opCode}`;
    throw new WireError(why, true);
  }
}

function readDocument(buf: Buffer, offset: number, end: number): { doc: Doc; next: number } {
  if (offset + 5 > end) throw new WireError('Truncated BSON document', false);
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end || size > MAX_BSON_BYTES) throw new WireError(`Invalid BSON document size ${size}`, false);
  try {
    return { doc: decodeDoc(buf.subarray(offset, offset + size)), next: offset + size };
  } catch (err) {
    throw new WireError(`Invalid BSON: ${(err as Error).message}`, false);
  }
}

function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new WireError('Unterminated string', false);
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}

/** Decodes one complete message (header included) into a request. */
export function decodeRequest(message: Buffer, header: Header): Request {
  if (header.opCode === OpCodes.query) return decodeQuery(message, header);
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = flags & FLAG_CHECKSUM ? message.length - 4 : message.length;
  let offset = HEADER_BYTES + 4;
  let body: Doc | undefined;
  const sequences: [string, Doc[]][] = [];
  while (offset < end) {
    const kind = message[offset++];
    if (kind === 0) {
      const { doc, next } = readDocument(message, offset, end);
      if (body) throw new WireError('OP_MSG with two body sections', false);
      body = doc;
      offset = next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new WireError('Truncated document sequence', false);
      const size = message.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw new WireError(`Invalid document sequence size ${size}`, false);
      const name = readCString(message, offset + 4, seqEnd);
      const docs: Doc[] = [];
      let at = name.next;
      while (at < seqEnd) {
        const { doc, next } = readDocument(message, at, seqEnd);
        docs.push(doc);
        at = next;
      }
      sequences.push([name.value, docs]);
      offset = seqEnd;
    } else {
      throw new WireError(`Unknown OP_MSG section kind ${String(kind)}`, false);
    }
  }
  if (!body) throw new WireError('OP_MSG without a body section', false);
  for (const [name, docs] of sequences) body[name] = docs;
  return { requestId: header.requestId, legacy: false, noReply: (flags & FLAG_MORE_TO_COME) !== 0, body };
}

function decodeQuery(message: Buffer, header: Header): Request {
  const name = readCString(message, HEADER_BYTES + 4, message.length);
  const offset = name.next + 8; // numberToSkip, numberToReturn
  let { doc } = readDocument(message, offset, message.length);
  if (!name.value.endsWith('.$cmd')) throw new WireError(`OP_QUERY is only supported for commands, not on ${name.value}`, false);
  // Old shells wrap the command as { $query: {...}, $readPreference: ... }.
  if (doc.$query && typeof doc.$query === 'object') doc = doc.$query as Doc;
  return { requestId: header.requestId, legacy: true, noReply: false, db: name.value.slice(0, -'.$cmd'.length), body: doc };
}

let nextResponseId = 1;

/** Encodes a reply as OP_MSG or, for an OP_QUERY request, OP_REPLY. */
export function encodeReply(request: { requestId: number; legacy: boolean }, doc: Doc): Buffer {
  const bson = serialize(doc);
  const responseId = nextResponseId++ & 0x7fffffff;
  if (request.legacy) {
    const out = Buffer.allocUnsafe(HEADER_BYTES + 20 + bson.length);
    out.writeInt32LE(out.length, 0);
    out.writeInt32LE(responseId, 4);
    out.writeInt32LE(request.requestId, 8);
    out.writeInt32LE(OpCodes.reply, 12);
    out.writeInt32LE(0, 16); // responseFlags
    out.writeBigInt64LE(0n, 20); // cursorID
    out.writeInt32LE(0, 28); // startingFrom
    out.writeInt32LE(1, 32); // numberReturned
    out.set(bson, 36);
    return out;
  }
  const out = Buffer.allocUnsafe(HEADER_BYTES + 5 + bson.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(responseId, 4);
  out.writeInt32LE(request.requestId, 8);
  out.writeInt32LE(OpCodes.msg, 12);
  out.writeUInt32LE(0, 16); // flags
  out.writeUInt8(0, 20); // section kind 0
  out.set(bson, 21);
  return out;
}
