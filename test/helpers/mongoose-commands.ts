import mongoose from 'mongoose';

/**
 * The commands Mongoose sends while `run` goes, as `collection.method` (through models and
 * `Model.collection`; connect-mongo's own reads do not show). For tests that a path makes the
 * round trips it should, and no others.
 */
export async function mongooseCommands(run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  mongoose.set('debug', (collection: string, method: string) => seen.push(`${collection}.${method}`));
  try {
    await run();
  } finally {
    mongoose.set('debug', false);
  }
  return seen;
}
