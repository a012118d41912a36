import type { EngineOptions } from '../../server/embedded-mongo/engine/engine.ts';
import { startEmbeddedMongo, type EmbeddedMongoOptions } from '../../server/embedded-mongo/index.ts';

/**
 * How the database tests run the engine: stored documents frozen, so code that edits one in
 * place throws; and, with EMBEDDED_MONGO_FAST_PATHS=off (`npm run test:db:nofast`), without
 * the planner's fast paths, so both ways must give the same answers.
 */
export function testEngineOptions(): EngineOptions {
  return { fastPaths: process.env.EMBEDDED_MONGO_FAST_PATHS !== 'off', freezeDocuments: true };
}

/** A server to test against: MONGODB_URI when set (a real MongoDB), else an in-memory embedded one. */
export interface TestServer {
  uri: string;
  /** A database name unique to this test file and run, so files never share data. */
  dbName: string;
  /** True when running against the embedded server (some tests only make sense there). */
  embedded: boolean;
  close(): Promise<void>;
}

/** Starts (or points at) the server a test file uses. */
export async function startTestServer(label: string, opts: EmbeddedMongoOptions = {}): Promise<TestServer> {
  const dbName = `lectern_${label}_${process.pid}_${Date.now().toString(36)}`;
  const external = process.env.MONGODB_URI;
  if (external) return { uri: external, dbName, embedded: false, close: async () => undefined };
  const server = await startEmbeddedMongo({ ...testEngineOptions(), ...opts });
  return { uri: server.uri, dbName, embedded: true, close: () => server.close() };
}
