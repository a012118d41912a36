import type { Caller } from '../accounts/index.ts';
import { NotFoundError } from '../http/errors.ts';
import { findQuestions, getStudyableBank, questionsByIds, questionsCollectionName, type BankRef } from '../banks/index.ts';
import { toObjectId as oid } from '../object-ids.ts';
import { ReviewLog, StudyCard, type StudyCardDoc } from './model.ts';
import { presentQuestion } from '../questions/index.ts';
import { schedulable, TYPED_ANSWER_TYPES, type CardFront } from './service.ts';
import { countBucket, stateName } from './schedule.ts';
import type { CustomStudy } from './schemas.ts';

/** How far ahead "study ahead" looks, and how far back "cards I forgot" looks. */
export const STUDY_AHEAD_DAYS = 7;
export const FORGOTTEN_DAYS = 7;
const DAY_MS = 24 * 3600_000;

/** The names of the custom sessions, as the pages show them. */
export const CUSTOM_MODE_LABELS = { ahead: 'Study ahead', forgotten: 'Cards I forgot this week', topic: 'One topic', passage: 'One passage' } as const;

/** The next card of a custom session, and how many are left in it (this one included). */
export interface CustomCard {
  bank: BankRef;
  card: CardFront | null;
  left: number;
}

/**
 * The cards a custom session draws from. Each card comes once per session: a card reviewed since
 * the session began (`since`) is left out, so a card rated in it does not come straight back. Cards
 * are rated as in any session (FSRS counts an early review for what it is); suspended and buried
 * cards stay out.
 */
async function customFilter(caller: Caller, custom: CustomStudy, now: Date): Promise<Record<string, unknown>> {
  const base = { userId: oid(caller.id), bankId: oid(custom.bank), ...schedulable(now), last_review: { $not: { $gte: custom.since } } };
  switch (custom.mode) {
    case 'ahead':
      return { ...base, due: { $gt: now, $lte: new Date(now.getTime() + STUDY_AHEAD_DAYS * DAY_MS) } };
    case 'forgotten': {
      const forgotten = await ReviewLog.distinct('cardId', {
        userId: oid(caller.id),
        bankId: oid(custom.bank),
        rating: 1,
        review: { $gte: new Date(now.getTime() - FORGOTTEN_DAYS * DAY_MS) },
      });
      return { ...base, _id: { $in: forgotten } };
    }
    case 'topic':
      return { ...base, topics: custom.topic };
    case 'passage': {
      const questions = await findQuestions(custom.bank, { passageIds: [custom.passage!] });
      return { ...base, questionId: { $in: questions.map((q) => oid(q.id)) } };
    }
  }
}

/** The next card of a custom session (soonest due first), or none when it is finished. */
export async function nextCustomCard(caller: Caller, custom: CustomStudy, now: Date): Promise<CustomCard> {
  const bank = await getStudyableBank(caller, custom.bank);
  const filter = await customFilter(caller, custom, now);
  const [card, left] = await Promise.all([StudyCard.findOne(filter).sort({ due: 1, _id: 1 }).lean<StudyCardDoc>(), StudyCard.countDocuments(filter)]);
  if (!card) return { bank, card: null, left: 0 };
  const question = (await questionsByIds([String(card.questionId)])).get(String(card.questionId));
  if (!question) throw new NotFoundError('This card’s question is no longer in the bank.');
  const def = question.definition;
  return {
    bank,
    left,
    card: {
      cardId: String(card._id),
      question: presentQuestion(def),
      typed: (TYPED_ANSWER_TYPES as readonly string[]).includes(def.type),
      state: stateName(card.state),
      bucket: countBucket(card.state),
    },
  };
}

/** The passages the learner's cards of a bank cite, with how many cards each: the passage choice. */
export async function cardPassages(caller: Caller, bankId: string): Promise<Array<{ passageId: string; cards: number }>> {
  const rows = await StudyCard.aggregate<{ _id: string; cards: number }>([
    { $match: { userId: oid(caller.id), bankId: oid(bankId) } },
    { $lookup: { from: questionsCollectionName(), localField: 'questionId', foreignField: '_id', as: 'question' } },
    { $unwind: '$question' },
    { $group: { _id: '$question.passageId', cards: { $sum: 1 } } },
    { $sort: { _id: 1 } },
    { $limit: 500 },
  ]);
  return rows.map((r) => ({ passageId: r._id, cards: r.cards }));
}
