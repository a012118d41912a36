import os from 'node:os';
import { CommandError, ErrorCodes, TRANSACTIONS_UNSUPPORTED } from '../errors.ts';
import type { Doc } from '../documents.ts';
import { MAX_BSON_BYTES, MAX_MESSAGE_BYTES } from '../wire.ts';
import type { CommandContext, CommandHandler } from './context.ts';

const VERSION = '7.0.0';

/** hello / isMaster: what the driver needs to treat us as a writable standalone. */
function hello(cmd: Doc, ctx: CommandContext): Doc {
  return {
    ...(cmd.helloOk ? { helloOk: true } : {}),
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: MAX_BSON_BYTES,
    maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
}

function buildInfo(): Doc {
  return {
    version: VERSION,
    gitVersion: 'lectern-embedded',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_BYTES,
    storageEngines: ['lectern-embedded'],
    javascriptEngine: 'none',
    modules: [],
    openssl: { running: 'disabled' },
    ok: 1,
  };
}

function listDatabases(cmd: Doc, ctx: CommandContext): Doc {
  const databases = ctx.engine.databaseNames().map((name) => ({ name, sizeOnDisk: 0, empty: false }));
  if (cmd.nameOnly) return { databases: databases.map(({ name }) => ({ name })), ok: 1 };
  return { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
}

function dropDatabase(_cmd: Doc, ctx: CommandContext): Doc {
  ctx.engine.write((tx) => {
    for (const coll of ctx.engine.collectionsOf(ctx.db)) tx.dropCollection(coll);
  });
  return { dropped: ctx.db, ok: 1 };
}

function serverStatus(_cmd: Doc, ctx: CommandContext): Doc {
  const mem = process.memoryUsage();
  return {
    host: `${os.hostname()}:${ctx.server.port}`,
    version: VERSION,
    process: 'lectern-embedded-mongo',
    pid: process.pid,
    uptime: Math.floor((Date.now() - ctx.server.startedAt) / 1000),
    localTime: new Date(),
    connections: { current: ctx.server.connections(), available: 10_000, totalCreated: ctx.server.totalConnections() },
    mem: { bits: 64, resident: Math.round(mem.rss / 1048576), virtual: 0, supported: true },
    metrics: { cursor: { open: { total: ctx.engine.cursors.size } } },
    ok: 1,
  };
}

function getParameter(cmd: Doc): Doc {
  const reply: Doc = { ok: 1 };
  if (cmd.featureCompatibilityVersion || cmd.getParameter === '*') reply.featureCompatibilityVersion = { version: '7.0' };
  return reply;
}

/** The embedded server has no settable parameters: each one named is unrecognized, as mongod says of unknown ones. */
function setParameter(cmd: Doc): Doc {
  const name = Object.keys(cmd).find((k) => k !== 'setParameter' && !k.startsWith('$') && k !== 'lsid' && k !== 'comment');
  if (!name) throw new CommandError(ErrorCodes.BadValue, 'no option found to set, use help:true to see options ');
  throw new CommandError(ErrorCodes.InvalidOptions, `attempted to set unrecognized parameter [${name}], use help:true to see options `);
}

function getLog(cmd: Doc): Doc {
  if (cmd.getLog === '*') return { names: ['global', 'startupWarnings'], ok: 1 };
  return { totalLinesWritten: 0, log: [], ok: 1 };
}

function hostInfo(): Doc {
  return {
    system: {
      currentTime: new Date(),
      hostname: os.hostname(),
      cpuAddrSize: 64,
      memSizeMB: Math.round(os.totalmem() / 1048576),
      numCores: os.cpus().length,
      cpuArch: os.arch(),
    },
    os: { type: os.type(), name: os.type(), version: os.release() },
    extra: {},
    ok: 1,
  };
}

function refuseTransactions(): Doc {
  throw new CommandError(ErrorCodes.IllegalOperation, TRANSACTIONS_UNSUPPORTED);
}

/** Handshake and administration commands, enough for drivers, mongosh and Compass. */
export const adminCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  setParameter,
  endSessions: () => ({ ok: 1 }),
  listDatabases,
  dropDatabase,
  serverStatus,
  whatsmyuri: (_cmd, ctx) => ({ you: ctx.client, ok: 1 }),
  getLog,
  hostInfo,
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['lectern-embedded-mongo'], parsed: {}, ok: 1 }),
  getFreeMonitoringStatus: () => ({ state: 'disabled', ok: 1 }),
  logout: () => ({ ok: 1 }),
  abortTransaction: refuseTransactions,
  commitTransaction: refuseTransactions,
};
