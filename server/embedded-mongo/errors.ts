/** Error codes the driver and Mongoose look at, named as MongoDB names them. */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  Unauthorized: 13,
  TypeMismatch: 14,
  ProtocolError: 17,
  AuthenticationFailed: 18,
  IllegalOperation: 20,
  MaxTimeMSExpired: 50,
  InvalidBSON: 22,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  InvalidPipelineOperator: 168,
  DocumentValidationFailure: 121,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  CannotCreateIndex: 67,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  NotImplemented: 238,
  MechanismUnavailable: 334,
  ExceededMemoryLimit: 146,
  OperationNotSupportedInTransaction: 263,
  DuplicateKey: 11000,
  Location40324: 40324,
  // Text search (text-spec.ts, text-query.ts): mongod's assertion codes, named as it names them.
  Location17261: 17261,
  Location17262: 17262,
  Location17313: 17313,
  Location40218: 40218,
} as const;

/** Numeric MongoDB error code. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

const codeNames = new Map<number, string>(Object.entries(ErrorCodes).map(([name, code]) => [code, name]));

/** A command failure that becomes `{ ok: 0, errmsg, code, codeName }` on the wire. */
export class CommandError extends Error {
  readonly code: number;
  readonly extra: Record<string, unknown>;
  constructor(code: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
    this.extra = extra;
  }
}

/** The codeName MongoDB uses for a code, or 'UnknownError'. */
export function codeName(code: number): string {
  return codeNames.get(code) ?? 'UnknownError';
}

/** Turns anything thrown while running a command into an error reply document. */
export function errorReply(err: unknown): Record<string, unknown> {
  if (err instanceof CommandError) {
    return { ok: 0, errmsg: err.message, code: err.code, codeName: codeName(err.code), ...err.extra };
  }
  // mingo and bson throw plain Errors for bad operators or values; they are the client's fault.
  const message = err instanceof Error ? err.message : String(err);
  return { ok: 0, errmsg: message, code: ErrorCodes.BadValue, codeName: 'BadValue' };
}

/**
 * Why a command with `txnNumber` is refused. Worded without "Transaction numbers" because the
 * driver rewrites that message into advice about retryable writes, hiding the real reason.
 */
export const TRANSACTIONS_UNSUPPORTED =
  'Transactions are not supported by the embedded server: it is a standalone, and transactions need a replica set (set MONGODB_URI to one)';
