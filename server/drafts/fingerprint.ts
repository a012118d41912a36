/**
 * Pure pieces of the approval queue: a draft's fingerprint (how a decided draft is recognised in a
 * later run) and the mapping of its suggested topics onto a bank's own topics.
 */
import type { QuestionDefinition, Topic } from '../questions/definition.ts';
import { slugify } from '../slug.ts';
import { fold, hashOf, type Draft } from './draft.ts';

/** Passage, type, key and the folded prompt: stable across runs of the same document (the pipeline is seeded). */
export function draftFingerprint(d: Pick<Draft, 'passageId' | 'kind' | 'key'> & { question: Pick<QuestionDefinition, 'prompt'> }): string {
  return hashOf(d.passageId, d.kind, d.key, fold(d.question.prompt));
}

/** The fields of a bank topic that matter here. */
export interface TopicName {
  slug: string;
  name: string;
}

/**
 * The bank's topics a draft's suggestions name: a suggestion matches a topic with the same slug,
 * or whose name slugs to it ("Tidal power" and `tidal-power`). Order kept, at most five.
 */
export function mapTopics(suggested: readonly Topic[], topics: readonly TopicName[]): Topic[] {
  const out: Topic[] = [];
  for (const s of suggested) {
    const hit = topics.find((t) => t.slug === s || slugify(t.name, 40) === s);
    if (hit && !out.includes(hit.slug)) out.push(hit.slug);
  }
  return out.slice(0, 5);
}

/** The topic a draft's section heading would be if the bank had it (the name a new topic gets). */
export function sectionTopicName(sectionTitle: string): string {
  return sectionTitle.replace(/\s+/g, ' ').trim().slice(0, 80);
}

/** The draft's question as the bank stores it: the mapped topics, and its source named when not the bank's first. */
export function questionForBank(question: QuestionDefinition, topics: readonly Topic[], sourceId: string, bankFirstSourceId: string): QuestionDefinition {
  const { sourceId: _drop, ...ref } = question.source;
  return { ...question, topics: [...topics], source: sourceId === bankFirstSourceId ? ref : { ...ref, sourceId } };
}
