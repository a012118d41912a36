/** Start-up: config → database → seed → app → listen; graceful shutdown. The only module with side effects. */
import { createServer } from 'node:http';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { connectDatabase } from './db.ts';
import { createApp } from './app.ts';
import { seedDatabase } from '../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from './accounts/demo-accounts.ts';
import { ensureLearnerAggregates } from './progress/learner-aggregates.ts';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
if (config.sessionSecretIsEphemeral) {
  logger.warn('SESSION_SECRET is not set: sessions end when Lectern restarts');
}

// The embedded server runs in a worker thread so its work uses the second core.
const db = await connectDatabase(config, logger, { inWorker: true }).catch((err: unknown) => {
  logger.fatal({ err }, 'could not open the database');
  process.exit(1);
});
await seedDatabase({ demo: config.demo, progress: (line) => logger.info(`seed: ${line}`) });
// Once, before any request: aggregates of records written by a Lectern that did not keep them.
const built = await ensureLearnerAggregates((line) => logger.info(line));
if (built) logger.info({ learners: built }, 'learner aggregates built from their records');

const app = createApp({ config, logger, db });
const server = createServer(app);
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  logger.info({ url, database: db.embedded ? 'embedded' : 'MongoDB' }, 'Lectern is listening');
  const demo = config.demo ? DEMO_ACCOUNTS.map((d) => `\n  demo ${d.role}: ${d.email} / ${d.password}`).join('') : '';
  console.log(`\nLectern is running at ${url}${demo}`);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing requests in flight');
  // Whatever is stuck, the process ends within 15 s of the signal (SQLite holds every
  // acknowledged write; an unfinished command changed nothing).
  setTimeout(() => {
    logger.error('shutdown took too long: exiting');
    process.exit(1);
  }, 14_000).unref();
  // Stop accepting; close idle keep-alive sockets; let in-flight requests finish (up to 8 s),
  // then the database closes (a busy worker is terminated after 5 s, worker-host.ts).
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 8_000);
  await closed;
  clearTimeout(timer);
  await db.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
