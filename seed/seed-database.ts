import { seedDemoUsers } from './demo-users.ts';

export interface SeedOptions {
  demo: boolean;
  /** Called with a line of progress for a person to read. */
  progress: (line: string) => void;
}

/** Loads what Lectern ships with, idempotently: a re-run changes nothing. */
export async function seedDatabase(options: SeedOptions): Promise<void> {
  if (options.demo) {
    const made = await seedDemoUsers();
    options.progress(made ? `demo accounts: ${made} created` : 'demo accounts: already present');
  }
}
