import type mongoose from 'mongoose';
import { PracticeSession } from './model.ts';
import { toObjectId as oid } from '../object-ids.ts';

// The reads other features (progress) make of practice sessions; the collection stays private.

export interface RecentPracticeSession {
  _id: mongoose.Types.ObjectId;
  mode: string;
  startedAt: Date;
  finishedAt?: Date | null;
  settings?: { length?: number };
  answers?: Array<{ score: number }>;
}

/** A learner's latest practice sessions, newest first. */
export function recentPracticeSessions(userId: string, limit: number): Promise<RecentPracticeSession[]> {
  return PracticeSession.find({ userId: oid(userId) }, { mode: 1, startedAt: 1, finishedAt: 1, 'settings.length': 1, 'answers.score': 1 })
    .sort({ startedAt: -1 })
    .limit(limit)
    .lean<RecentPracticeSession[]>();
}
