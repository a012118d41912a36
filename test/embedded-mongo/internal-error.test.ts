import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from '../../server/embedded-mongo/commands/dispatch.ts';
import type { CommandContext } from '../../server/embedded-mongo/commands/context.ts';
import { Engine } from '../../server/embedded-mongo/engine/engine.ts';
import { createMemoryStore } from '../../server/embedded-mongo/storage/store.ts';

function contextFor(engine: Engine, logged: unknown[]): Omit<CommandContext, 'db'> {
  const server = { host: '127.0.0.1', port: 0, startedAt: 0, connections: () => 1, totalConnections: () => 1 };
  return { engine, connectionId: 1, client: 'test', server, logError: (err) => logged.push(err) };
}

test('a fault in the server answers InternalError (code 1) and is logged, not blamed on the command', () => {
  const logged: unknown[] = [];
  // An engine that lacks what the handler calls: the handler hits a TypeError, a server bug.
  const broken = {} as Engine;
  const reply = runCommand({ find: 'c', filter: {}, $db: 'db' }, contextFor(broken, logged));
  assert.equal(reply.ok, 0);
  assert.equal(reply.code, 1);
  assert.equal(reply.codeName, 'InternalError');
  assert.equal(logged.length, 1);
  assert.ok(logged[0] instanceof TypeError);
});

test('a bad operator in a command is still the client fault, and nothing is logged', () => {
  const logged: unknown[] = [];
  const ctx = contextFor(new Engine(createMemoryStore()), logged);
  assert.equal(runCommand({ insert: 'c', documents: [{ _id: 1, x: 1 }], $db: 'db' }, ctx).ok, 1);
  const reply = runCommand({ find: 'c', filter: { x: { $noSuchOperator: 1 } }, $db: 'db' }, ctx);
  assert.equal(reply.ok, 0);
  assert.notEqual(reply.code, 1);
  assert.deepEqual(logged, []);
});
