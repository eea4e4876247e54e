/**
 * Splitting a compact JWS into its parts, with precise errors for each way it can be malformed.
 * No signature is checked here.
 */
import { PolicyTokenError } from "./errors.js";
import { decodeBase64url, decodeUtf8, describeJson } from "./payload.js";

// CAUTION: public API
/** A JWS protected header as found in a token (only the parameters this toolchain reads are typed). */
export interface JwsHeader {
  readonly alg?: unknown;
  readonly x5c?: unknown;
  readonly crit?: unknown;
  readonly jwk?: unknown;
  readonly jku?: unknown;
  readonly x5u?: unknown;
  readonly typ?: unknown;
  readonly kid?: unknown;
  readonly [parameter: string]: unknown;
}

/** The parts of a compact JWS. */
export interface CompactParts {
  /** The token, trimmed of surrounding whitespace. */
  readonly token: string;
  readonly header: JwsHeader;
  /** The decoded payload bytes (empty for a reset token). */
  readonly payloadBytes: Uint8Array;
  /** The parsed JSON payload; undefined when the payload is empty. */
  readonly payload: Record<string, unknown> | undefined;
  /** The base64url signature part (empty when unsigned). */
  readonly signature: string;
}

const COMPACT = /^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/** Whether `input` has the shape of a compact JWS (three base64url parts separated by dots). */
export function looksLikeCompactJws(input: string): boolean {
  return COMPACT.test(input.trim());
}

function parseJsonObject(bytes: Uint8Array, part: string): Record<string, unknown> {
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new PolicyTokenError("P4002", `${part}: not UTF-8`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PolicyTokenError("P4002", `${part}: not JSON`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new PolicyTokenError("P4002", `${part}: must be a JSON object, not ${describeJson(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Splits and decodes a compact JWS; throws `PolicyTokenError` P4002 when it is malformed. */
export function splitCompact(input: string): CompactParts {
  const token = input.trim();
  const parts = token.split(".");
  if (parts.length !== 3) {
    throw new PolicyTokenError("P4002", `token: a compact JWS has 3 parts separated by \`.\`, this one has ${parts.length}`);
  }
  const [h, p, s] = parts as [string, string, string];
  const names = ["header", "payload", "signature"] as const;
  for (const [i, part] of [h, p, s].entries()) {
    if (decodeBase64url(part) === undefined) {
      throw new PolicyTokenError("P4002", `token: ${names[i]}: not base64url`);
    }
  }
  if (h.length === 0) throw new PolicyTokenError("P4002", "token: header: empty");
  const header = parseJsonObject(decodeBase64url(h) ?? new Uint8Array(), "token: header") as JwsHeader;
  const payloadBytes = decodeBase64url(p) ?? new Uint8Array();
  const payload = payloadBytes.length === 0 ? undefined : parseJsonObject(payloadBytes, "token: payload");
  return { token, header, payloadBytes, payload, signature: s };
}
