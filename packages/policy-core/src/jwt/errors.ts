/**
 * The one error type of the `jwt/` module, and the mapping of `jose` errors to P4xxx codes.
 * `jose` messages never reach users raw: every failure leaves this module with a catalogued code
 * and a message written here.
 */
import { errors as joseErrors } from "jose";
import type { DiagnosticCode } from "../diagnostics/catalog/index.js";

// CAUTION: public API
/** A policy-token failure with its catalogued P4xxx code and a one-line message. */
export class PolicyTokenError extends Error {
  override readonly name = "PolicyTokenError";
  /** The P4xxx code (see `docs/diagnostics/`). */
  readonly code: DiagnosticCode;

  /** Makes an error with `code` and `message` (lowercase, no final period). */
  constructor(code: DiagnosticCode, message: string) {
    super(message);
    this.code = code;
  }
}

// CAUTION: public API
/** A rejection as plain data: what verification returns instead of throwing. */
export interface TokenProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
}

/** The code and message for a failure raised by `jose` (or by WebCrypto underneath it). */
export function fromJoseError(e: unknown, context: string): PolicyTokenError {
  if (e instanceof PolicyTokenError) return e;
  if (e instanceof joseErrors.JOSEError) {
    switch (e.code) {
      case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
        return new PolicyTokenError("P4008", `${context}: the signature does not verify with the key of the \`x5c[0]\` certificate`);
      case "ERR_JOSE_ALG_NOT_ALLOWED":
        return new PolicyTokenError("P4007", `${context}: the algorithm is not allowed for this key`);
      case "ERR_JOSE_NOT_SUPPORTED":
        return new PolicyTokenError("P4007", `${context}: the algorithm or a header parameter is not supported`);
      case "ERR_JWS_INVALID":
      case "ERR_JWT_INVALID":
        return new PolicyTokenError("P4002", `${context}: the token is not a well-formed compact JWS`);
      default:
        return new PolicyTokenError("P4002", `${context}: the token was refused (${e.code})`);
    }
  }
  // WebCrypto and key-import failures surface as TypeError / DOMException.
  const message = e instanceof Error ? e.message : String(e);
  if (/modulusLength/i.test(message)) return new PolicyTokenError("P4012", `${context}: RSA keys must be 2048 bits or longer`);
  if (/curve|namedCurve|key type|asymmetricKeyType|CryptoKey/i.test(message)) {
    return new PolicyTokenError("P4017", `${context}: the algorithm does not fit the key`);
  }
  return new PolicyTokenError("P4019", `${context}: the key cannot be used with this algorithm`);
}
