import type { Request } from 'express';
import type session from 'express-session';
import MongoStore from 'connect-mongo';
import mongoose from 'mongoose';
import type { Caller } from './roles.ts';
import { User, type UserDoc } from './model.ts';
import { toCaller } from './service.ts';
import { sharedRead } from '../db-batch.ts';
import { isRecord } from '../object-shape.ts';

/** A session as stored: express-session's data as JSON, beside its user's id for the join. */
interface StoredSession {
  data: string;
  userId?: mongoose.Types.ObjectId;
}

/** The user a session names, as read with it (caller null: the account is gone or disabled). */
interface LoadedCaller {
  id: string;
  caller: Caller | null;
}

interface SessionRow {
  _id: string;
  session: StoredSession | string;
  lastModified?: Date;
  users: Pick<UserDoc, '_id' | 'name' | 'email' | 'role' | 'timeZone' | 'dayStartHour' | 'disabledAt'>[];
}

type LoadedSession = session.SessionData & { lastModified?: Date };

/**
 * The caller read with each loaded session data object, until express-session hands that object
 * to createSession: kept beside it, so express-session neither saves nor hashes it.
 */
const callersOfData = new WeakMap<session.SessionData, LoadedCaller>();
/** The caller read with each request's session, for passport to take instead of reading it again. */
const callers = new WeakMap<Request, LoadedCaller>();

function serialize(data: session.SessionData & { passport?: { user?: unknown } }): StoredSession {
  const user = data.passport?.user;
  const stored: StoredSession = { data: JSON.stringify(data) };
  if (typeof user === 'string' && mongoose.isObjectIdOrHexString(user)) stored.userId = new mongoose.Types.ObjectId(user);
  return stored;
}

function unserialize(stored: unknown): session.SessionData {
  // Sessions written before the user id was stored beside them are plain JSON strings.
  const json = typeof stored === 'string' ? stored : isRecord(stored) && typeof stored.data === 'string' ? stored.data : null;
  if (json === null) throw new Error('a stored session is neither JSON nor a document with its JSON in `data`');
  // express-session wrote this JSON from its own session data (the cookie's expiry, a string in
  // JSON, is made a Date again by createSession).
  return JSON.parse(json) as session.SessionData;
}

export interface SessionStoreOptions {
  client: ReturnType<typeof mongoose.connection.getClient>;
  dbName: string;
  ttlSeconds: number;
  touchAfterSeconds: number;
}

/**
 * connect-mongo, with the signed-in user read in the same round trip as the session (a
 * `$lookup` on the users' `_id`). Every signed-in request needs both, and each round trip to
 * the database costs more than the rest of a small page. The user is read fresh every time,
 * so a role change, a rename or a deleted account takes effect on the next request, in every
 * process.
 */
export class CallerSessionStore extends MongoStore {
  private readonly touchAfter: number;

  constructor(options: SessionStoreOptions) {
    super({
      client: options.client,
      dbName: options.dbName,
      ttl: options.ttlSeconds,
      touchAfter: options.touchAfterSeconds,
      // connect-mongo types the stored value as session data or a string; ours is a small document.
      serialize: serialize as unknown as (data: session.SessionData) => string,
      unserialize,
    });
    this.touchAfter = options.touchAfterSeconds;
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.loadWithCaller(sid).then(
      (data) => callback(null, data),
      (err: unknown) => callback(err),
    );
  }

  /** Sessions by id with their users: requests arriving together share one aggregation. */
  private readonly sessionRows = sharedRead<string, SessionRow | null>(
    async (sids) => {
      const collection = await this.collectionP;
      const rows = await collection
        .aggregate<SessionRow>([
          // The filter connect-mongo's own get uses: these ids, not yet expired.
          { $match: { _id: { $in: sids }, $or: [{ expires: { $exists: false } }, { expires: { $gt: new Date() } }] } },
          { $lookup: { from: User.collection.collectionName, localField: 'session.userId', foreignField: '_id', as: 'users' } },
          {
            $project: {
              session: 1,
              lastModified: 1,
              'users._id': 1,
              'users.name': 1,
              'users.email': 1,
              'users.role': 1,
              'users.timeZone': 1,
              'users.dayStartHour': 1,
              'users.disabledAt': 1,
            },
          },
        ])
        .toArray();
      return new Map(rows.map((row) => [row._id, row]));
    },
    (sid) => sid,
    null,
  );

  private async loadWithCaller(sid: string): Promise<LoadedSession | null> {
    const doc = await this.sessionRows(sid);
    if (!doc) return null;
    const data: LoadedSession = unserialize(doc.session);
    // connect-mongo's touchAfter compares against this, as its own get sets it.
    if (this.touchAfter > 0 && doc.lastModified) data.lastModified = doc.lastModified;
    if (typeof doc.session !== 'string' && doc.session.userId) {
      // A disabled account is signed out like a deleted one, on its very next request.
      const user = doc.users[0];
      callersOfData.set(data, { id: String(doc.session.userId), caller: user && !user.disabledAt ? toCaller(user) : null });
    }
    return data;
  }

  /** Deletes every session signed in as the user: each of them is signed out on its next request. */
  async destroyAllOf(userId: string): Promise<number> {
    if (!mongoose.isObjectIdOrHexString(userId)) return 0;
    const collection = await this.collectionP;
    const res = await collection.deleteMany({ 'session.userId': new mongoose.Types.ObjectId(userId) });
    return res.deletedCount;
  }

  /** express-session builds req.session here: the one place the store sees the request. */
  override createSession<Req extends Request>(req: Req, data: session.SessionData): session.Session & session.SessionData {
    const loaded = callersOfData.get(data);
    if (loaded) callers.set(req, loaded);
    return super.createSession(req, data);
  }
}

/**
 * The caller loaded with this request's session when it is the user `id` (null: the account
 * is gone); undefined when it was not loaded, and must be read.
 */
export function callerLoadedWithSession(req: Request, id: string): Caller | null | undefined {
  const loaded = callers.get(req);
  // After a login in this request the session names another user than the one loaded.
  return loaded && loaded.id === id ? loaded.caller : undefined;
}

/**
 * Ends every session of a user, in every browser and process (the sessions are deleted from the
 * store). The request's own session goes too: the caller regenerates or destroys it.
 */
export async function endAllSessionsOf(req: Request, userId: string): Promise<void> {
  const store = req.sessionStore;
  // Only Lectern's store knows which user each session belongs to; the memory stores of some unit tests do not.
  if (!(store instanceof CallerSessionStore)) throw new Error('this session store cannot end the sessions of a user');
  await store.destroyAllOf(userId);
}
