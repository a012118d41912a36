import type { Passage } from './passages.ts';

/** What a new version did to one passage questions may cite. */
export interface PassageChange {
  passageId: string;
  change: 'changed' | 'removed';
  oldText: string;
  newText: string;
}

const words = (t: string) => new Set(t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

/** Word-set similarity (Dice): 1 for the same words, 0 for none in common. */
export function similarity(a: string, b: string): number {
  const [x, y] = [words(a), words(b)];
  if (!x.size || !y.size) return 0;
  let common = 0;
  for (const w of x) if (y.has(w)) common += 1;
  return (2 * common) / (x.size + y.size);
}

/** How alike a changed passage must be to its old self to keep its id. */
export const SAME_PASSAGE = 0.5;

/**
 * Carries passage ids over to a new version: a passage whose hash is unchanged keeps its id; a
 * changed one takes the id of the most similar old passage left (at least SAME_PASSAGE alike);
 * new passages get ids no old passage ever had; old passages left over stay, marked removed, so
 * what cites them still reads. Pure: the same versions give the same ids.
 */
export function carryOver(old: Passage[], fresh: Passage[]): { passages: Passage[]; changes: PassageChange[] } {
  const live = old.filter((p) => !p.removed);
  const unmatched = new Set(live);
  const ids: Array<string | undefined> = fresh.map(() => undefined);
  const changes: PassageChange[] = [];
  const byHash = new Map<string, Passage[]>();
  for (const p of live) byHash.set(p.hash, [...(byHash.get(p.hash) ?? []), p]);
  fresh.forEach((p, i) => {
    const same = (byHash.get(p.hash) ?? []).find((o) => unmatched.has(o));
    if (same) {
      ids[i] = same.id;
      unmatched.delete(same);
    }
  });
  // Most similar pairs first, so one weak match does not take a passage a better one needed.
  const pairs: Array<{ i: number; o: Passage; s: number }> = [];
  fresh.forEach((p, i) => {
    if (ids[i]) return;
    for (const o of unmatched) {
      const s = similarity(p.text, o.text);
      if (s >= SAME_PASSAGE) pairs.push({ i, o, s });
    }
  });
  pairs.sort((a, b) => b.s - a.s);
  for (const { i, o } of pairs) {
    if (ids[i] || !unmatched.has(o)) continue;
    ids[i] = o.id;
    unmatched.delete(o);
    changes.push({ passageId: o.id, change: 'changed', oldText: o.text, newText: fresh[i]!.text });
  }
  const taken = new Set([...old.map((p) => p.id), ...ids.filter(Boolean)]);
  const passages = fresh.map((p, i) => {
    let id = ids[i];
    if (!id) {
      id = p.id;
      for (let n = p.position; taken.has(id); n += 1) id = `${p.section}-${n + 1}`;
      taken.add(id);
    }
    return { ...p, id };
  });
  for (const o of unmatched) {
    passages.push({ ...o, removed: true });
    changes.push({ passageId: o.id, change: 'removed', oldText: o.text, newText: '' });
  }
  for (const o of old.filter((p) => p.removed)) passages.push(o);
  return { passages, changes };
}
