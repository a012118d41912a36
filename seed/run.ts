/** `npm run seed`: loads the shipped source, banks and (on the embedded default) demo accounts. */
import { loadConfig, ConfigError } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { connectDatabase } from '../server/db.ts';
import { seedDatabase } from './seed-database.ts';

try {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const db = await connectDatabase(config, logger);
  try {
    const report = await seedDatabase({ demo: config.demo, progress: (line) => console.log(`seed: ${line}`) });
    if (report.invalid.length) process.exitCode = 1;
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exitCode = 1;
}
