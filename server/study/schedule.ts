import { createEmptyCard, fsrs, generatorParameters, type Card, type Grade, type State } from 'ts-fsrs';
import type { Caller } from '../accounts/roles.ts';
import { DEFAULT_DAY_START_HOUR } from '../accounts/roles.ts';
import { DEFAULT_TIME_ZONE, startOfDayIn } from '../formatting/index.ts';

/**
 * The flashcard scheduler: a thin, pure wrapper over ts-fsrs (FSRS with its default weights and
 * 90% requested retention unless the learner's settings say otherwise, learning steps 1m/10m, relearning step 10m, no fuzz so that a
 * schedule is reproducible). Time is always a parameter; nothing here reads the clock.
 */

/** The four answers a learner gives a card, as Anki names them. */
export const STUDY_RATINGS = [
  { rating: 1, label: 'Again' },
  { rating: 2, label: 'Hard' },
  { rating: 3, label: 'Good' },
  { rating: 4, label: 'Easy' },
] as const;
export type StudyRating = (typeof STUDY_RATINGS)[number]['rating'];

/** The learning states of a card, named as ts-fsrs's State numbers are. */
export const CARD_STATES = ['New', 'Learning', 'Review', 'Relearning'] as const;
export type CardStateName = (typeof CARD_STATES)[number];

/** A card's memory state as stored: ts-fsrs's Card, with `last_review` null before the first review. */
export interface CardState {
  due: Date;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  /** 0 New, 1 Learning, 2 Review, 3 Relearning (ts-fsrs State). */
  state: number;
  last_review: Date | null;
}

/** One review, as the review log stores it (ts-fsrs ReviewLog: the state and due date *before* the review). */
export interface ReviewRecord {
  rating: StudyRating;
  state: number;
  due: Date;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  last_elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  review: Date;
}

/** What one rating button offers: the rating, its label, the next due date and that interval in words. */
export interface RatingPreview {
  rating: StudyRating;
  label: string;
  due: Date;
  interval: string;
}

/** A learner's FSRS settings: their desired retention, and weights optimised from their reviews (none: FSRS's defaults). */
export interface FsrsSettings {
  desiredRetention: number;
  weights: readonly number[] | null;
}
export const DEFAULT_FSRS_SETTINGS: FsrsSettings = { desiredRetention: 0.9, weights: null };

// One scheduler per distinct settings (few: most learners keep the defaults), built once.
const schedulers = new Map<string, ReturnType<typeof fsrs>>();
function schedulerFor(settings: FsrsSettings) {
  const key = `${settings.desiredRetention}/${settings.weights?.join(',') ?? ''}`;
  let s = schedulers.get(key);
  if (!s) {
    s = fsrs(
      generatorParameters({
        enable_fuzz: false,
        enable_short_term: true,
        request_retention: settings.desiredRetention,
        ...(settings.weights ? { w: [...settings.weights] } : {}),
      }),
    );
    if (schedulers.size > 1000) schedulers.clear();
    schedulers.set(key, s);
  }
  return s;
}

function toFsrs(card: CardState): Card {
  const { last_review, ...rest } = card;
  return last_review ? { ...rest, state: card.state as State, last_review } : { ...rest, state: card.state as State };
}

/** Just the scheduling fields of a card (a ts-fsrs Card or a stored card with more fields). */
export function cardStateOf(card: Omit<CardState, 'last_review'> & { last_review?: Date | null }): CardState {
  return {
    due: card.due,
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    last_review: card.last_review ?? null,
  };
}

/** True for 1..4 (Again, Hard, Good, Easy). */
export function isStudyRating(n: unknown): n is StudyRating {
  return n === 1 || n === 2 || n === 3 || n === 4;
}

/** The state of a card never studied, due at `now`. */
export function newCardState(now: Date): CardState {
  return cardStateOf(createEmptyCard(now));
}

/** The name of a card's state ("New", "Learning", …). */
export function stateName(state: number): CardStateName {
  return CARD_STATES[state] ?? 'New';
}

/**
 * An interval as Anki shows it on its buttons: "1m", "10m", "3h", "4d", "1.5mo", "2.1y".
 * Months are 30 days and years 365, as Anki counts them.
 */
export function formatInterval(ms: number): string {
  const minutes = Math.max(0, ms) / 60_000;
  if (minutes < 60) return `${Math.max(1, Math.round(minutes))}m`;
  const hours = minutes / 60;
  if (hours < 24) return `${Math.round(hours)}h`;
  const days = hours / 24;
  if (days < 30) return `${Math.round(days)}d`;
  const trim = (n: number) => String(Number(n.toFixed(1)));
  if (days < 365) return `${trim(days / 30)}mo`;
  return `${trim(days / 365)}y`;
}

/** What each of the four ratings would do to a card reviewed at `now`: for the labels of the buttons. */
export function previewRatings(card: CardState, now: Date, settings: FsrsSettings = DEFAULT_FSRS_SETTINGS): RatingPreview[] {
  const preview = schedulerFor(settings).repeat(toFsrs(card), now);
  return STUDY_RATINGS.map(({ rating, label }) => {
    const due = preview[rating as Grade].card.due;
    return { rating, label, due, interval: formatInterval(due.getTime() - now.getTime()) };
  });
}

/** Applies a rating given at `now`: the card's next state and the review to log. */
export function scheduleReview(
  card: CardState,
  rating: StudyRating,
  now: Date,
  settings: FsrsSettings = DEFAULT_FSRS_SETTINGS,
): { card: CardState; log: ReviewRecord } {
  const { card: next, log } = schedulerFor(settings).next(toFsrs(card), now, rating as Grade);
  return {
    card: cardStateOf(next),
    log: {
      rating,
      state: log.state,
      due: log.due,
      stability: log.stability,
      difficulty: log.difficulty,
      elapsed_days: log.elapsed_days,
      last_elapsed_days: log.last_elapsed_days,
      scheduled_days: log.scheduled_days,
      learning_steps: log.learning_steps,
      review: log.review,
    },
  };
}

/**
 * The start of the study day that holds `now` for a learner: the daily limit on new cards resets
 * at the hour they chose (Anki's "next day starts at", 4 by default) in their zone. Without a
 * learner (progress's history, folded by UTC day) it is 00:00 UTC.
 */
export function startOfStudyDay(now: Date, learner?: Pick<Caller, 'timeZone' | 'dayStartHour'>): Date {
  if (!learner) return startOfDayIn(now, 'UTC', 0);
  return startOfDayIn(now, learner.timeZone ?? DEFAULT_TIME_ZONE, learner.dayStartHour ?? DEFAULT_DAY_START_HOUR);
}

/** How many new cards may still be introduced today, given the limit and those already introduced. */
export function newCardsAllowed(limit: number, introducedToday: number, unseen: number): number {
  return Math.max(0, Math.min(limit - introducedToday, unseen));
}

/** Which of Anki's three counts a card falls in: New (never rated), Learning (and relearning), Review. */
export type CountBucket = 'new' | 'learning' | 'review';
export function countBucket(state: number): CountBucket {
  return state === 0 ? 'new' : state === 2 ? 'review' : 'learning';
}

/** The cards of a scope the session can show now, by state (what `studyCounts` starts from). */
export interface ScopeCardCounts {
  /** Cards introduced but never rated (state New): shown before any further new card. */
  newCarded: number;
  /** Learning and relearning cards due now or within the learn-ahead limit. */
  learning: number;
  /** Review cards due now. */
  review: number;
}

/**
 * The counts a study page shows, as Anki shows them: new, learning and review, each counting the
 * card on screen. New adds to the introduced-but-unrated cards those today's limit still allows.
 */
export function studyCounts(input: ScopeCardCounts & { introducedToday: number; unseen: number; limit: number }): {
  new: number;
  learning: number;
  review: number;
} {
  return { new: input.newCarded + newCardsAllowed(input.limit, input.introducedToday, input.unseen), learning: input.learning, review: input.review };
}
