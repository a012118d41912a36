import { DEFAULT_DAY_START_HOUR, type Caller } from '../accounts/index.ts';
import { DEFAULT_TIME_ZONE, studyDayEnd } from '../formatting/index.ts';
import { NotFoundError } from '../http/errors.ts';
import { listBanks, questionsCollectionName, type QuestionDoc } from '../banks/index.ts';
import { isObjectId, toObjectId as oid } from '../object-ids.ts';
import { StudyCard, type StudyCardDoc } from './model.ts';
import { newCardState, startOfStudyDay, stateName } from './schedule.ts';
import type { BrowseQuery, CardAction } from './schemas.ts';

/** Rows on one page of the card browser. */
export const BROWSE_PAGE_SIZE = 25;

/** One row of the card browser. */
export interface BrowsedCard {
  cardId: string;
  bankId: string;
  bankTitle: string;
  prompt: string;
  topics: string[];
  state: string;
  due: Date;
  reps: number;
  lapses: number;
  suspended: boolean;
  buried: boolean;
}

export interface BrowsePage {
  cards: BrowsedCard[];
  total: number;
  page: number;
  pages: number;
  banks: Array<{ id: string; title: string; topics: Array<{ slug: string; name: string }> }>;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DAY_MS = 24 * 3600_000;

/** The card filter of a browser query (the text is matched on the question, after the lookup). */
function cardFilter(caller: Caller, query: BrowseQuery, now: Date, bankIds: string[]): Record<string, unknown> {
  const filter: Record<string, unknown> = { userId: oid(caller.id), bankId: { $in: (query.bank ? [query.bank] : bankIds).map(oid) } };
  if (query.topic) filter.topics = query.topic;
  if (query.state === 'suspended') filter.suspended = true;
  else if (query.state === 'buried') Object.assign(filter, { suspended: { $ne: true }, buriedUntil: { $gt: now } });
  else if (query.state) {
    filter.state = query.state === 'new' ? 0 : query.state === 'learning' ? { $in: [1, 3] } : 2;
    filter.suspended = { $ne: true };
  }
  // "Due by" a day: due before that study day of the learner's ends.
  if (query.dueBy)
    filter.due = {
      $lt: studyDayEnd(query.dueBy.toISOString().slice(0, 10), caller.timeZone ?? DEFAULT_TIME_ZONE, caller.dayStartHour ?? DEFAULT_DAY_START_HOUR),
    };
  return filter;
}

/**
 * A page of the learner's cards in the banks they may study, filtered by text (in the question's
 * prompt), bank, topic, state and due date, most due first. One aggregation: the cards, their
 * questions by lookup, the count and the page.
 */
export async function browseCards(caller: Caller, query: BrowseQuery, now: Date): Promise<BrowsePage> {
  const banks = (await listBanks(caller)).map((b) => ({ id: b.id, title: b.title, topics: b.topics }));
  if (query.bank && !banks.some((b) => b.id === query.bank)) throw new NotFoundError('We could not find that question bank.');
  const filter = cardFilter(
    caller,
    query,
    now,
    banks.map((b) => b.id),
  );
  const textMatch = query.q ? [{ $match: { 'question.definition.prompt': { $regex: escapeRegex(query.q), $options: 'i' } } }] : [];
  const skip = (query.page - 1) * BROWSE_PAGE_SIZE;
  const [result] = await StudyCard.aggregate<{ total: { n: number }[]; rows: Array<StudyCardDoc & { question: QuestionDoc[] }> }>([
    { $match: filter },
    { $lookup: { from: questionsCollectionName(), localField: 'questionId', foreignField: '_id', as: 'question' } },
    ...textMatch,
    { $facet: { total: [{ $count: 'n' }], rows: [{ $sort: { due: 1, _id: 1 } }, { $skip: skip }, { $limit: BROWSE_PAGE_SIZE }] } },
  ]);
  const total = result?.total[0]?.n ?? 0;
  const titles = new Map(banks.map((b) => [b.id, b.title]));
  const cards = (result?.rows ?? []).map((c) => ({
    cardId: String(c._id),
    bankId: String(c.bankId),
    bankTitle: titles.get(String(c.bankId)) ?? '',
    prompt: String((c.question[0]?.definition as { prompt?: string } | undefined)?.prompt ?? '(question removed)'),
    topics: c.topics,
    state: stateName(c.state),
    due: c.due,
    reps: c.reps,
    lapses: c.lapses,
    suspended: Boolean(c.suspended),
    buried: Boolean(c.buriedUntil && c.buriedUntil > now),
  }));
  return { cards, total, page: query.page, pages: Math.max(1, Math.ceil(total / BROWSE_PAGE_SIZE)), banks };
}

/**
 * Applies a browser action to one of the caller's cards: suspend or unsuspend it, reset it to a new
 * card (its review history stays), or bury it until the next study day.
 */
export async function applyCardAction(caller: Caller, cardId: string, action: CardAction, now: Date): Promise<void> {
  const filter = { _id: isObjectId(cardId) ? oid(cardId) : null, userId: oid(caller.id) };
  const update =
    action === 'suspend'
      ? { suspended: true }
      : action === 'unsuspend'
        ? { suspended: false }
        : action === 'bury'
          ? { buriedUntil: new Date(startOfStudyDay(now, caller).getTime() + DAY_MS) }
          : { ...newCardState(now), buriedUntil: null };
  // Another learner's card is "not found", as everywhere in study.
  const result = filter._id ? await StudyCard.updateOne(filter, { $set: update }) : { matchedCount: 0 };
  if (result.matchedCount === 0) throw new NotFoundError('We could not find that card.');
}
