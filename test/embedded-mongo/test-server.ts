import { startEmbeddedMongo, type EmbeddedMongoOptions } from '../../server/embedded-mongo/index.ts';

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
  const server = await startEmbeddedMongo(opts);
  return { uri: server.uri, dbName, embedded: true, close: () => server.close() };
}
