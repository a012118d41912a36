import { analysePassage, definedAbbreviations, type Sentence, type SpanKind } from './nlp.ts';
import { fold, type DocumentIndex, type Mention, type SourcePassage } from './draft.ts';

/** Sections of citations, not of content: nothing is drafted from them, nor drawn as a distractor. */
const NOTES = /^(?:end ?notes|notes|references|bibliography|sources|works cited)$/i;

/** Whether drafts may come from a passage of this section. */
export const isContentSection = (sectionTitle: string): boolean => !NOTES.test(sectionTitle.trim());

/** Reads a document once: its sentences and spans per passage, its mentions by kind, its abbreviations. */
export function buildIndex(all: readonly SourcePassage[]): DocumentIndex {
  const passages = all.filter((p) => isContentSection(p.sectionTitle));
  const abbreviations = definedAbbreviations(passages.map((p) => p.text).join('\n'));
  const sentences = new Map<string, readonly Sentence[]>();
  const mentions = new Map<SpanKind, Mention[]>();
  const seen = new Set<string>();
  const named = new Map<string, number>();
  for (const p of passages) {
    const ss = analysePassage(p.text, abbreviations);
    sentences.set(p.id, ss);
    for (const span of ss.flatMap((s) => s.spans)) {
      if (span.kind === 'organisation' || span.kind === 'place' || span.kind === 'person') {
        const name = abbreviations.get(span.text) ?? span.text;
        named.set(name, (named.get(name) ?? 0) + 1);
      }
      const id = `${span.kind}:${span.sub ?? ''}:${fold(span.text)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const list = mentions.get(span.kind) ?? mentions.set(span.kind, []).get(span.kind)!;
      list.push({ text: span.text, value: span.value, sub: span.sub, passageId: p.id, sectionTitle: p.sectionTitle });
    }
  }
  // The subject is named far more than anything else (the paper's organisation in every other sentence).
  const [top, second] = [...named].sort((a, b) => b[1] - a[1]);
  const subject = new Set<string>();
  if (top && top[1] >= 10 && top[1] >= 2 * (second?.[1] ?? 0)) {
    subject.add(top[0]);
    for (const [abbr, name] of abbreviations) if (name === top[0]) subject.add(abbr);
  }
  return { passages, sentences, mentions, abbreviations, subject, folded: ` ${passages.map((p) => fold(p.text)).join(' ')} ` };
}
