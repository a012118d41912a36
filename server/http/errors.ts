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

export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

/** The status each domain error answers with. */
export function statusOf(err: unknown): number {
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof ValidationError) return 400;
  if (err instanceof ConflictError) return 409;
  return 500;
}
