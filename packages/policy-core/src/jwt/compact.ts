/**
 * Splitting a compact JWS into its parts, with precise errors for each way it can be malformed.
 * No signature is checked here.
 */
import { PolicyTokenError } from "./errors.js";
import { jsonTooDeepAt, jsonTooDeepMessage } from "../util/json-depth.js";
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
  /** The parsed JSON payload; undefined when the payload is empty or not a JSON object. */
  readonly payload: Record<string, unknown> | undefined;
  /**
   * Why the payload is not a JSON object (P4002), kept rather than thrown so that a signed token
   * has its signature checked first: a tampered payload is then reported as a bad signature.
   */
  readonly payloadError?: PolicyTokenError;
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
  // Readers of the header and payload (and their JSON output) recurse: refuse deep nesting here.
  if (jsonTooDeepAt(text) >= 0) throw new PolicyTokenError("P4002", `${part}: JSON ${jsonTooDeepMessage()}`);
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
      if (i === 2 && /^[A-Za-z0-9_-]*$/.test(part) && part.length % 4 !== 1) {
        throw new PolicyTokenError("P4008", "token: signature: not canonical base64url (its last character was changed)");
      }
      throw new PolicyTokenError("P4002", `token: ${names[i]}: not ${/^[A-Za-z0-9_-]*$/.test(part) ? "canonical " : ""}base64url`);
    }
  }
  if (h.length === 0) throw new PolicyTokenError("P4002", "token: header: empty");
  const header = parseJsonObject(decodeBase64url(h) ?? new Uint8Array(), "token: header") as JwsHeader;
  const payloadBytes = decodeBase64url(p) ?? new Uint8Array();
  if (payloadBytes.length === 0) return { token, header, payloadBytes, payload: undefined, signature: s };
  try {
    return { token, header, payloadBytes, payload: parseJsonObject(payloadBytes, "token: payload"), signature: s };
  } catch (e) {
    if (!(e instanceof PolicyTokenError)) throw e;
    return { token, header, payloadBytes, payload: undefined, payloadError: e, signature: s };
  }
}
