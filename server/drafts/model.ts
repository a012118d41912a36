import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import type { QuestionDefinition } from '../questions/definition.ts';
import type { QualityFlag } from '../banks/quality/index.ts';

/**
 * A drafted question waiting for (or past) the instructor's decision. Decided drafts stay stored:
 * their fingerprint is how a later drafting run knows not to offer them again.
 */
const draftSchema = new Schema(
  {
    sourceId: { type: String, required: true },
    // Stable across runs (see fingerprint.ts): passage, type, the draft's key and its folded prompt.
    fingerprint: { type: String, required: true },
    key: { type: String, required: true },
    status: { type: String, enum: ['pending', 'accepted', 'rejected'], default: 'pending' },
    kind: { type: String, required: true },
    passageId: { type: String, required: true },
    sectionTitle: { type: String, required: true },
    // Position in the ranked queue of its run: "accept the top N" takes the lowest.
    rank: { type: Number, required: true },
    score: { type: Number, required: true },
    question: { type: Schema.Types.Mixed, required: true },
    terms: { type: [String], default: [] },
    flags: { type: Schema.Types.Mixed, default: [] },
    draftedBy: { type: String, required: true },
    decidedBy: { type: String, default: null },
    // Where an accepted draft went.
    bankId: { type: String, default: null },
    questionId: { type: String, default: null },
  },
  { timestamps: true, minimize: false },
);
draftSchema.index({ sourceId: 1, fingerprint: 1 }, { unique: true });
draftSchema.index({ sourceId: 1, status: 1, rank: 1 });

export type DraftDoc = Omit<InferSchemaType<typeof draftSchema>, 'question' | 'flags'> & {
  _id: mongoose.Types.ObjectId;
  question: QuestionDefinition;
  flags: QualityFlag[];
};
export const DraftRecord = mongoose.model('Draft', draftSchema);
