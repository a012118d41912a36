import { createHash } from 'node:crypto';

/**
 * Matching and ordering items carry no ids of their own, and their position in the definition is
 * the answer; so a learner sees ids derived from the text alone, which say nothing about pairing
 * or order. Ten hex digits keep collisions among ten items out of reach.
 */
export function opaqueId(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 10);
}
