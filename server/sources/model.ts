import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const passageSchema = new Schema(
  {
    id: { type: String, required: true },
    section: { type: String, required: true },
    sectionTitle: { type: String, required: true },
    position: { type: Number, required: true },
    text: { type: String, required: true },
    hash: { type: String, required: true },
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
  },
  { timestamps: true },
);

export type SourceDoc = InferSchemaType<typeof sourceSchema>;
export const Source = mongoose.model('Source', sourceSchema);
