import mongoose from 'mongoose';
import { z } from 'zod';

const OBJECT_ID = /^[a-f0-9]{24}$/;

/** A route or form id: 24 lowercase hex digits, checked before it reaches a query. */
export const objectIdSchema = z.string().regex(OBJECT_ID, 'Not a valid id.');

/** Whether a string is an ObjectId in its hex form (anything else cannot name a document). */
export function isObjectId(id: string): boolean {
  return OBJECT_ID.test(id);
}

/** The ObjectId of a hex id; check with isObjectId or objectIdSchema first. */
export function toObjectId(id: string): mongoose.Types.ObjectId {
  return new mongoose.Types.ObjectId(id);
}
