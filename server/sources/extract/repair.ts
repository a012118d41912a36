/**
 * Repairs of the damage text extraction does to prose. Each repair is conservative: it changes a
 * word only when the rest of the document says the change is right, and it counts what it did so
 * the preview can tell the instructor.
 */

const LIGATURES = ['ffi', 'ffl', 'fi', 'fl', 'ff'];
const WORD = /[\p{L}\p{M}]+(?:-[\p{L}\p{M}]+)*/gu;
// Prefixes that make compounds a writer hyphenates anywhere, line end or not.
const COMPOUND_PREFIX = /^(?:self|non|well|half|cross|quasi|semi)$/;

/**
 * The words of a text, lowercased, with how often each occurs: hyphenated compounds count as
 * themselves and as their parts. Words hyphenated at a line end are left out, so that a split
 * never vouches for itself.
 */
export function vocabulary(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (w: string) => counts.set(w, (counts.get(w) ?? 0) + 1);
  for (const m of text.replace(/[\p{L}]+-\n\s*[\p{L}]+/gu, ' ').matchAll(WORD)) {
    const w = m[0].toLowerCase();
    add(w);
    if (w.includes('-')) w.split('-').forEach(add);
  }
  return counts;
}

export interface RepairCounts {
  hyphenation: number;
  ligatures: number;
}

/**
 * Joins lines of one paragraph. A line ending in "exam-" followed by "ple" becomes "example" when
 * the joined word occurs elsewhere or either half is no word of its own; the hyphen stays when the
 * document spells the compound with it ("border-demarcation"). Other line breaks become spaces.
 */
export function joinLines(lines: string[], vocab: Map<string, number>, counts: RepairCounts): string {
  let out = '';
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    if (i === 0 || !out) {
      out = line;
      continue;
    }
    if (/\p{L}-$/u.test(out) && /^\p{L}/u.test(line)) {
      const hy = /(?<![\p{L}-])([\p{L}]+)-$/u.exec(out);
      const next = /^([\p{Ll}][\p{L}]*)/u.exec(line);
      const left = hy?.[1]?.toLowerCase() ?? '';
      const right = next?.[1]?.toLowerCase() ?? '';
      const keepHyphen =
        !hy ||
        !next ||
        COMPOUND_PREFIX.test(left) ||
        (vocab.get(`${left}-${right}`) ?? 0) > 0 ||
        ((vocab.get(left + right) ?? 0) === 0 && (vocab.get(left) ?? 0) > 0 && (vocab.get(right) ?? 0) > 0);
      if (keepHyphen) out += line;
      else {
        out = out.slice(0, -1) + line;
        counts.hyphenation += 1;
      }
      continue;
    }
    out += ' ' + line;
  }
  return out.replace(/\s+/g, ' ').trim();
}

// Whole words that end in a ligature's letters: "off the" and "staff meeting" are not splits.
const ENDS_IN_LIGATURE = /^(?:.*off|staff|stuff|cliff|tariff|sheriff|plaintiff|bluff|stiff|sniff|cuff|puff|buff|chaff|scoff|gruff|wifi|hifi|scifi|sci-fi)$/;

/**
 * Rejoins words split at a ligature ("fi gures" → "figures", "unifi ed" → "unified"). A split is
 * joined when the glued word occurs whole elsewhere, or when the fragment after the space never
 * stands as a word of its own elsewhere in the document ("gures", "ed").
 */
export function rejoinLigatures(text: string, vocab: Map<string, number>, counts: RepairCounts): string {
  const pattern = new RegExp(`(?<![\\p{L}])([\\p{L}]*(?:${LIGATURES.join('|')})) ([\\p{Ll}]+)(?![\\p{L}])`, 'gu');
  const fragments = new Map<string, number>();
  for (const m of text.matchAll(pattern)) fragments.set(m[2]!.toLowerCase(), (fragments.get(m[2]!.toLowerCase()) ?? 0) + 1);
  return text.replace(pattern, (all, left: string, right: string) => {
    if (ENDS_IN_LIGATURE.test(left.toLowerCase())) return all;
    const r = right.toLowerCase();
    const joinedSeen = (vocab.get((left + right).toLowerCase()) ?? 0) > 0;
    const rightStandsAlone = (vocab.get(r) ?? 0) - (fragments.get(r) ?? 0) > 0;
    if (joinedSeen || !rightStandsAlone) {
      counts.ligatures += 1;
      return left + right;
    }
    return all;
  });
}

/** Folds whitespace so quotes can be matched verbatim. */
export function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
