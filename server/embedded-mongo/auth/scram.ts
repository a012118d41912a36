import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** MongoDB's default iteration count for SCRAM-SHA-256 (scramSHA256IterationCount). */
export const SCRAM_ITERATIONS = 15_000;

/** What the server keeps for a user: never the password, only the keys SCRAM derives from it (RFC 5802 §3). */
export interface ScramSecrets {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();

/**
 * Derives the stored and server keys for a password. The password must already be SASLprep'd;
 * ours are random base64url strings, which SASLprep leaves unchanged.
 */
export function deriveScramSecrets(password: string, salt: Buffer = randomBytes(28), iterations = SCRAM_ITERATIONS): ScramSecrets {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  return { salt, iterations, storedKey: createHash('sha256').update(clientKey).digest(), serverKey: hmac(salted, 'Server Key') };
}

/** A SCRAM exchange the client got wrong; the caller answers AuthenticationFailed without saying why. */
export class ScramError extends Error {
  override name = 'ScramError';
}

/** Splits `a=1,b=2` into a map; values may contain `=`. */
function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** `=2C` and `=3D` are how SCRAM escapes `,` and `=` in a username. */
const unescapeName = (name: string): string => name.replace(/=2C/g, ',').replace(/=3D/g, '=');

/** The client-first message: its bare part (signed later), the username and the client nonce. */
export function parseClientFirst(message: string): { bare: string; username: string; clientNonce: string } {
  // gs2 header: no channel binding ("n") or "y" (client supports it, server does not), no authzid.
  const match = /^[ny],(?:a=[^,]*)?,(.*)$/s.exec(message);
  if (!match) throw new ScramError('bad gs2 header');
  const bare = match[1]!;
  const attrs = attributes(bare);
  const username = attrs.get('n');
  const clientNonce = attrs.get('r');
  if (!username || !clientNonce || attrs.has('m')) throw new ScramError('bad client-first message');
  return { bare, username: unescapeName(username), clientNonce };
}

/** The server-first message for a client-first message: the combined nonce, the salt and the iteration count. */
export function serverFirst(secrets: ScramSecrets, clientNonce: string, serverNonce = randomBytes(24).toString('base64')): { message: string; nonce: string } {
  const nonce = clientNonce + serverNonce;
  return { nonce, message: `r=${nonce},s=${secrets.salt.toString('base64')},i=${secrets.iterations}` };
}

/**
 * Checks the client-final message (RFC 5802 §3): the nonce must be ours and the proof must
 * recover a client key whose hash is the stored key. Returns the server-final message `v=...`.
 */
export function verifyClientFinal(secrets: ScramSecrets, exchange: { clientFirstBare: string; serverFirst: string; nonce: string }, message: string): string {
  const attrs = attributes(message);
  const channel = attrs.get('c');
  const nonce = attrs.get('r');
  const proof = attrs.get('p');
  // "biws" is base64 of "n,,": no channel binding, no authzid (what every MongoDB driver sends).
  if (channel !== 'biws' && channel !== 'eSws') throw new ScramError('unsupported channel binding');
  if (nonce !== exchange.nonce || !proof) throw new ScramError('nonce mismatch');
  const withoutProof = message.slice(0, message.lastIndexOf(',p='));
  const authMessage = `${exchange.clientFirstBare},${exchange.serverFirst},${withoutProof}`;
  const clientSignature = hmac(secrets.storedKey, authMessage);
  const proofBytes = Buffer.from(proof, 'base64');
  if (proofBytes.length !== clientSignature.length) throw new ScramError('bad proof');
  const clientKey = Buffer.alloc(proofBytes.length);
  for (let i = 0; i < proofBytes.length; i++) clientKey[i] = proofBytes[i]! ^ clientSignature[i]!;
  const storedKey = createHash('sha256').update(clientKey).digest();
  if (!timingSafeEqual(storedKey, secrets.storedKey)) throw new ScramError('bad proof');
  return `v=${hmac(secrets.serverKey, authMessage).toString('base64')}`;
}
