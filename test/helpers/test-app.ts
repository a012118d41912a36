import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import mongoose from 'mongoose';
import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { connectDatabase, type Database } from '../../server/db.ts';
import { createApp, type AppDeps } from '../../server/app.ts';
import { seedDatabase } from '../../seed/seed-database.ts';

export interface TestApp {
  app: Express;
  config: Config;
  db: Database;
  /** The clock the app reads; tests move it with `setNow`. */
  now: () => Date;
  setNow(date: Date): void;
  close(): Promise<void>;
}

/**
 * An app on its own database: the in-memory embedded server, or a fresh database on
 * MONGODB_URI when that is set (so the same tests run against a real MongoDB).
 */
export async function startTestApp(
  overrides: Partial<Config> = {},
  options: { seed?: boolean; mailTransport?: AppDeps['mailTransport'] } = {},
): Promise<TestApp> {
  const config = loadConfig(
    { NODE_ENV: 'test', LECTERN_DATA_DIR: ':memory:', MONGODB_URI: process.env.MONGODB_URI, LOG_LEVEL: 'silent' },
    { dbName: `lectern_test_${randomBytes(4).toString('hex')}`, ...overrides },
  );
  const logger = createLogger('silent');
  const db = await connectDatabase(config, logger);
  // Seeding loads the SCO source, the shipped bank and the demo accounts, as `npm start` does.
  if (options.seed) await seedDatabase({ demo: true, progress: () => undefined });
  let current: Date | null = null;
  const now = () => current ?? new Date();
  const app = createApp({ config, logger, db, clock: now, mailTransport: options.mailTransport });
  return {
    app,
    config,
    db,
    now,
    setNow: (d) => {
      current = d;
    },
    async close() {
      if (config.mongodbUri) await mongoose.connection.dropDatabase();
      await db.close();
    },
  };
}

/** The CSRF token of the first form on a page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
}

/** Fetches a page with the agent and returns its CSRF token. */
export async function tokenFor(agent: request.Agent, path: string): Promise<string> {
  const res = await agent.get(path);
  return csrfFrom(res.text);
}

/** Registers a new account through the form and leaves the agent signed in. */
export async function registerAs(app: Express, name: string, email: string, password = 'correct horse battery'): Promise<request.Agent> {
  const agent = request.agent(app);
  const _csrf = await tokenFor(agent, '/register');
  const res = await agent.post('/register').type('form').send({ _csrf, name, email, password });
  if (res.status !== 302) throw new Error(`registration failed: ${res.status} ${res.text.slice(0, 300)}`);
  return agent;
}

/** Signs in through the form and returns the signed-in agent. */
export async function loginAs(app: Express, email: string, password: string): Promise<request.Agent> {
  const agent = request.agent(app);
  const _csrf = await tokenFor(agent, '/login');
  const res = await agent.post('/login').type('form').send({ _csrf, email, password });
  if (res.status !== 302) throw new Error(`login failed: ${res.status}`);
  return agent;
}

/** Posts a form as a person would: loads `page` first for its CSRF token, then sends the fields. */
export async function postForm(agent: request.Agent, page: string, path: string, fields: Record<string, unknown>): Promise<request.Response> {
  const _csrf = await tokenFor(agent, page);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf, ...fields });
}

/** Adds topics to a bank through its topics page (slugs are made from the names: "Dates events" → dates-events). */
export async function addTopics(agent: request.Agent, bankId: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const res = await postForm(agent, `/banks/${bankId}/topics`, `/banks/${bankId}/topics`, { name });
    if (res.status !== 303) throw new Error(`adding topic "${name}" failed: ${res.status} ${res.text.slice(0, 300)}`);
  }
}
