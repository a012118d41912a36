/** Domain errors: services throw these; the one error handler maps them to statuses. */
export class DomainError extends Error {
  override name = 'DomainError';
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  constructor(message = 'We could not find that page.') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
  constructor(message = 'You do not have access to this page.') {
    super(message);
  }
}

/** Bad input; `fields` maps a form field to the message shown beside it. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The caller is not signed in (or their account is gone). */
export class UnauthorizedError extends DomainError {
  override name = 'UnauthorizedError';
  constructor(message = 'Please sign in.') {
    super(message);
  }
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

/** A per-user quota is used up (practice sessions, answers per day); the message says which. */
export class QuotaError extends DomainError {
  override name = 'QuotaError';
}

/** The status each domain error answers with. */
export function statusOf(err: unknown): number {
  if (err instanceof NotFoundError) return 404;
  if (err instanceof UnauthorizedError) return 401;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof ValidationError) return 400;
  if (err instanceof ConflictError) return 409;
  if (err instanceof QuotaError) return 429;
  return 500;
}
