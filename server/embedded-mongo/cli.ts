// `npm run db`: the embedded server on its own, so mongosh or Compass can connect to the data.
// An entry point, so it reads process.env itself (LECTERN_DATA_DIR, LECTERN_DB_PORT, LECTERN_DB_QUARANTINE).
import path from 'node:path';
import { startEmbeddedMongo } from './index.ts';
import type { Logger } from './server.ts';

const line = (level: string) => (obj: object, msg?: string) => console.log(JSON.stringify({ level, time: new Date().toISOString(), msg, ...obj }));
const logger: Logger = { info: line('info'), warn: line('warn'), error: line('error') };

const dataDir = path.resolve(process.env.LECTERN_DATA_DIR ?? './data');
const port = Number.parseInt(process.env.LECTERN_DB_PORT ?? '27017', 10);
const quarantineUnreadable = ['1', 'true', 'yes'].includes(process.env.LECTERN_DB_QUARANTINE ?? '');

try {
  const server = await startEmbeddedMongo({ dataDir, port, logger, quarantineUnreadable });
  // The URI carries the password (kept in the data directory, mode 0600): it is printed for the
  // operator who started this, on their own terminal, and never logged.
  console.log(`Embedded MongoDB-compatible server listening (data in ${dataDir})`);
  console.log(`  TCP, with the credentials:  ${server.uri}`);
  if (server.socketUri) console.log(`  Unix socket, owner only:    ${server.socketUri}  (${server.socketPath})`);
  console.log(`Connect with: mongosh "${server.uri}"`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'closing embedded server');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err: String(err) }, 'close failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
