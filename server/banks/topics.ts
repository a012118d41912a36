import { z } from 'zod';
import { topicSlug } from '../questions/definition.ts';
import { slugify } from '../slug.ts';

/**
 * A bank's topics as data: each bank names its own topics (slug, name) and orders them; a
 * question's `topics` are slugs of its bank's topics. Pure: the editor's changes are functions
 * from a list to a new list, and each refusal says why.
 */

/** One topic of a bank: the slug questions are tagged with and the name pages show. */
export interface BankTopic {
  slug: string;
  name: string;
}

/** At most this many topics in one bank (a picker, not a taxonomy). */
export const MAX_TOPICS = 60;

export const topicName = z.string().trim().min(1, 'Give the topic a name.').max(80, 'The name is too long: at most 80 characters.');

/** A list of topics as a bank file or the seed carries it. */
export const bankTopicList = z
  .array(z.object({ slug: topicSlug, name: topicName }))
  .max(MAX_TOPICS)
  .refine((ts) => new Set(ts.map((t) => t.slug)).size === ts.length, 'two topics have the same slug');

/** The name of a topic of these, or the slug itself when the bank no longer has it. */
export function topicLabel(topics: readonly BankTopic[], slug: string): string {
  return topics.find((t) => t.slug === slug)?.name ?? slug;
}

/** Labels by slug, for views that name a question's topics. */
export function topicLabels(topics: readonly BankTopic[]): Record<string, string> {
  return Object.fromEntries(topics.map((t) => [t.slug, t.name]));
}

/** The tags of a question that are not topics of its bank (empty: all are). */
export function unknownTopics(tags: readonly string[], topics: readonly BankTopic[]): string[] {
  const known = new Set(topics.map((t) => t.slug));
  return tags.filter((t) => !known.has(t));
}

/** Why a list of tags is refused by a bank, or null. */
export function topicsProblem(tags: readonly string[], topics: readonly BankTopic[]): string | null {
  const unknown = unknownTopics(tags, topics);
  if (!unknown.length) return null;
  return `not a topic of this bank: ${unknown.map((t) => `"${t}"`).join(', ')} (add it on the bank's topics page)`;
}

/** A refused change to the topic list: the field it concerns and the message. */
export class TopicEditError extends Error {
  constructor(
    readonly field: 'name' | 'slug' | 'topic',
    message: string,
  ) {
    super(message);
  }
}

/** The list with a new topic at the end; its slug is made from the name unless given. */
export function addTopic(topics: readonly BankTopic[], name: string, slug?: string): BankTopic[] {
  const clean = name.trim();
  if (!clean) throw new TopicEditError('name', 'Give the topic a name.');
  if (topics.length >= MAX_TOPICS) throw new TopicEditError('name', `A bank has at most ${MAX_TOPICS} topics.`);
  const s = slug ?? slugify(clean).slice(0, 40).replace(/-+$/, '');
  if (!topicSlug.safeParse(s).success) throw new TopicEditError(slug ? 'slug' : 'name', 'Give the topic a name with at least one letter or digit.');
  if (topics.some((t) => t.slug === s)) throw new TopicEditError(slug ? 'slug' : 'name', `This bank already has a topic "${topicLabel(topics, s)}".`);
  if (topics.some((t) => t.name.toLowerCase() === clean.toLowerCase())) throw new TopicEditError('name', `This bank already has a topic named "${clean}".`);
  return [...topics, { slug: s, name: clean }];
}

/** The list with one topic renamed (its slug, and so every question's tag, stays). */
export function renameTopic(topics: readonly BankTopic[], slug: string, name: string): BankTopic[] {
  const clean = name.trim();
  if (!clean) throw new TopicEditError('name', 'Give the topic a name.');
  if (!topics.some((t) => t.slug === slug)) throw new TopicEditError('topic', 'This bank has no such topic.');
  if (topics.some((t) => t.slug !== slug && t.name.toLowerCase() === clean.toLowerCase()))
    throw new TopicEditError('name', `This bank already has a topic named "${clean}".`);
  return topics.map((t) => (t.slug === slug ? { slug, name: clean } : t));
}

/** The list with one topic moved one place up (-1) or down (+1); at an end it stays. */
export function moveTopic(topics: readonly BankTopic[], slug: string, by: -1 | 1): BankTopic[] {
  const i = topics.findIndex((t) => t.slug === slug);
  if (i < 0) throw new TopicEditError('topic', 'This bank has no such topic.');
  const j = i + by;
  if (j < 0 || j >= topics.length) return [...topics];
  const next = [...topics];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/** The list without one topic; refused while questions use it (`uses` live questions tag it). */
export function removeTopic(topics: readonly BankTopic[], slug: string, uses: number): BankTopic[] {
  const topic = topics.find((t) => t.slug === slug);
  if (!topic) throw new TopicEditError('topic', 'This bank has no such topic.');
  if (uses > 0) {
    throw new TopicEditError(
      'topic',
      `"${topic.name}" is used by ${uses} question${uses === 1 ? '' : 's'}: take it off ${uses === 1 ? 'that question' : 'those questions'} first, or rename it.`,
    );
  }
  return topics.filter((t) => t.slug !== slug);
}

/** Topics merged in: the ones `incoming` adds keep its order after the existing ones, whose names stay. */
export function mergeTopics(existing: readonly BankTopic[], incoming: readonly BankTopic[]): BankTopic[] {
  const have = new Set(existing.map((t) => t.slug));
  return [...existing, ...incoming.filter((t) => !have.has(t.slug))];
}

/** Several banks' topics as one list: each slug once, named and placed as the first bank has it. */
export function mergeTopicLists(lists: readonly (readonly BankTopic[])[]): BankTopic[] {
  return lists.reduce<BankTopic[]>((all, list) => mergeTopics(all, list), []);
}

/**
 * Topics for a bank that predates topics as data: the tags its questions use, named as another
 * bank names them (`known`, in that bank's order) or, failing that, from the slug.
 */
export function topicsFromTags(tags: Iterable<string>, known: readonly BankTopic[]): BankTopic[] {
  const used = new Set(tags);
  const named = known.filter((t) => used.has(t.slug));
  const rest = [...used].filter((t) => !named.some((k) => k.slug === t)).sort();
  return [...named, ...rest.map((slug) => ({ slug, name: nameFromSlug(slug) }))];
}

/** "trade-routes" → "Trade routes": a readable name until an instructor gives a better one. */
export function nameFromSlug(slug: string): string {
  const words = slug.replace(/-+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A new bank's first topics: one per section of its source, in the document's order (a topic
 * to tag the first question with; renamed, merged or removed on the topics page). Sections
 * whose names clash or past the bound are left out rather than refused.
 */
export function topicsFromSections(sections: readonly { title: string }[]): BankTopic[] {
  let topics: BankTopic[] = [];
  for (const s of sections) {
    if (topics.length >= MAX_TOPICS) break;
    try {
      topics = addTopic(topics, s.title.slice(0, 80));
    } catch (err) {
      if (!(err instanceof TopicEditError)) throw err;
    }
  }
  return topics;
}
