/**
 * Every error the service returns, in one place: the service's codes, their HTTP status, and the
 * body `{"error":{"code","message","innererror":{"code","message"}}}` (the recorded bodies repeat
 * the outer pair in `innererror`, SERVICE.md section 9).
 */

/** The error codes of the real service (plus the ones a local service needs for routing). */
export type ServiceErrorCode =
  | "PolicyParsingError"
  | "PolicyEvaluationError"
  | "InvalidOperation"
  | "InvalidParameter"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "MethodNotAllowed"
  | "PayloadTooLarge"
  | "UnsupportedMediaType"
  | "Conflict"
  | "InternalError";

const STATUS: Readonly<Record<ServiceErrorCode, number>> = {
  PolicyParsingError: 400,
  PolicyEvaluationError: 400,
  InvalidOperation: 400,
  InvalidParameter: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  Conflict: 409,
  InternalError: 500,
};

/** A failure answered with the service's error body. Thrown by handlers, caught by the app's error handler. */
export class ServiceError extends Error {
  override readonly name = "ServiceError";
  readonly code: ServiceErrorCode;
  readonly status: number;
  /** Extra response headers (the 401 challenge). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ServiceErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
    this.headers = headers;
  }
}

/** The wire body of an error. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly innererror: { readonly code: string; readonly message: string } };
}

/** The error body for `code` and `message`. */
export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message, innererror: { code, message } } };
}

/** The status of a code. */
export function statusOf(code: ServiceErrorCode): number {
  return STATUS[code];
}
