import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import type { Passage } from './passages.ts';

const passageSchema = new Schema(
  {
    id: { type: String, required: true },
    section: { type: String, required: true },
    sectionTitle: { type: String, required: true },
    position: { type: Number, required: true },
    text: { type: String, required: true },
    hash: { type: String, required: true },
    note: { type: Boolean },
    removed: { type: Boolean },
  },
  { _id: false },
);

// What the latest version did to a passage that questions may cite: old and new text side by side.
const changeSchema = new Schema(
  {
    passageId: { type: String, required: true },
    change: { type: String, enum: ['changed', 'removed'] as const, required: true },
    oldText: { type: String, required: true },
    newText: { type: String, default: '' },
  },
  { _id: false },
);

// One document per source: a paper is a few dozen passages, read whole by the source page.
const sourceSchema = new Schema(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    sections: [new Schema({ slug: String, title: String }, { _id: false })],
    passages: [passageSchema],
    hash: { type: String, required: true },
    // Who added it (null: shipped with Lectern); the format it was read from; its version number.
    ownerId: { type: String, default: null },
    format: { type: String, enum: ['text', 'markdown', 'pdf', 'docx'], default: 'text' },
    version: { type: Number, default: 1 },
    guesses: { type: [String], default: [] },
    changes: { type: [changeSchema], default: [] },
  },
  { timestamps: true },
);

/**
 * A source as read lean. Its passages are written only from passages.ts's Passage objects (a
 * note or removed flag is set or absent, never null, as the inferred schema type would allow),
 * so the type says so once here instead of a cast at every read.
 */
export type SourceDoc = Omit<InferSchemaType<typeof sourceSchema>, 'passages'> & { passages: Passage[] };
sourceSchema.index({ ownerId: 1, title: 1 });
export const Source = mongoose.model('Source', sourceSchema);
