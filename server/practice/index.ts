/** Self-testing with immediate feedback: what other features may ask of it. */
export { sourceEvidence, type SourceEvidence } from './source-evidence.ts';
export { recentPracticeSessions, type RecentPracticeSession } from './reads.ts';
