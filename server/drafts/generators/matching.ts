import type { Sentence } from '../nlp.ts';
import { fold, hashOf, sameThing, suggestTopics, type Draft, type DocumentIndex, type SourcePassage } from '../draft.ts';
import { MIN_MATCHING_PAIRS } from '../../banks/quality/structure.ts';

interface Pair {
  left: string;
  right: string;
  passage: SourcePassage;
  sentence: Sentence;
}

/** "X is/was/means Y": a term and its definition. */
const DEFINITION = /^(?:The\s+)?([A-Z][\p{L}’'-]*(?:\s+[A-Z][\p{L}’'-]*){0,5})\s+(?:is|was|means|refers to)\s+(.{10,250}?)[.!?]?$/u;

/** An actor and what the sentence says of it: the sentence opens with a named span followed by a verb phrase. */
function actorPair(passage: SourcePassage, sentence: Sentence): Pair | null {
  const def = DEFINITION.exec(sentence.text);
  // A term is defined only when it is a name the document types ("There is …" and "This was …" define nothing).
  if (def && sentence.spans.some((s) => s.text === def[1] && s.kind !== 'date' && s.kind !== 'year')) return { left: def[1]!, right: def[2]!, passage, sentence };
  const lead = sentence.spans.find((s) => (s.kind === 'organisation' || s.kind === 'place' || s.kind === 'person') && /^(?:The\s+)?$/.test(passage.text.slice(sentence.start, s.start)));
  if (!lead) return null;
  const rest = passage.text.slice(lead.end, sentence.end).replace(/[.!?]$/, '').trim();
  // "Australia’s policy …" is about the policy, not about Australia.
  if (/^[’']s\b/.test(rest) || /^[,(—–]/.test(rest) || rest.split(/\s+/).length < 4 || rest.length > 250) return null;
  return { left: lead.text, right: rest, passage, sentence };
}

/**
 * Matching drafts, one per section that has enough: actors (or terms) and what the document says
 * of them. No right side names another pair's left, so no pair gives another away.
 */
export function matchingDrafts(index: DocumentIndex): Draft[] {
  const bySection = new Map<string, Pair[]>();
  for (const passage of index.passages) {
    for (const sentence of index.sentences.get(passage.id) ?? []) {
      const pair = actorPair(passage, sentence);
      if (pair) (bySection.get(passage.sectionTitle) ?? bySection.set(passage.sectionTitle, []).get(passage.sectionTitle)!).push(pair);
    }
  }
  const drafts: Draft[] = [];
  for (const [sectionTitle, all] of bySection) {
    const pairs: Pair[] = [];
    for (const p of all) {
      if (pairs.length >= 6) break;
      const clash = pairs.some((q) => sameThing(q.left, p.left, index) || fold(q.right) === fold(p.right));
      const names = (x: Pair, y: Pair) => ` ${fold(x.right)} `.includes(` ${fold(y.left)} `);
      if (!clash && !pairs.some((q) => names(q, p) || names(p, q)) && !names(p, p)) pairs.push(p);
    }
    if (pairs.length < MIN_MATCHING_PAIRS) continue;
    // Cite the passage holding most pairs, quoting the span from its first used sentence to its last.
    const counts = new Map<string, Pair[]>();
    for (const p of pairs) (counts.get(p.passage.id) ?? counts.set(p.passage.id, []).get(p.passage.id)!).push(p);
    const cited = [...counts.values()].sort((a, b) => b.length - a.length)[0]!;
    const passage = cited[0]!.passage;
    const quote = passage.text.slice(Math.min(...cited.map((p) => p.sentence.start)), Math.max(...cited.map((p) => p.sentence.end))).slice(0, 1000).trim();
    const key = hashOf('matching', sectionTitle, ...pairs.map((p) => p.left));
    drafts.push({
      key,
      kind: 'matching',
      passageId: passage.id,
      sectionTitle,
      terms: pairs.map((p) => p.left),
      informativeness: 0.6 + (cited.length / pairs.length) * 0.3,
      question: {
        id: `d-${key}`,
        type: 'matching',
        prompt: `Match each one to what the document says of it in “${sectionTitle}”.`,
        pairs: pairs.map((p) => ({ left: p.left, right: p.right })),
        topics: suggestTopics(sectionTitle, [], null),
        difficulty: pairs.length > 4 ? 'hard' : 'medium',
        level: 'understand',
        source: { passageId: passage.id, quote },
        explanation: `In “${sectionTitle}”: ${pairs.map((p) => `“${p.sentence.text}”`).join(' ')}`.slice(0, 2000),
      },
    });
  }
  return drafts;
}
