import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from 'express';
import { signedIn } from '../../server/http/guards.ts';
import { UnauthorizedError, statusOf } from '../../server/http/errors.ts';

test('signedIn returns the typed caller, or throws a 401 domain error when there is none', () => {
  const caller = { id: '64b000000000000000000001', name: 'A', email: 'a@example.com', role: 'student' as const };
  assert.equal(signedIn({ user: caller } as unknown as Request), caller);
  assert.throws(
    () => signedIn({} as Request),
    (err: unknown) => err instanceof UnauthorizedError && statusOf(err) === 401,
  );
});
