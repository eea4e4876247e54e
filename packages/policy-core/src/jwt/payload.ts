/**
 * The policy-token payload, in one place: `{"AttestationPolicy": B64URL(UTF-8 text)}` (unpadded
 * base64url), and the reading of both its forms (base64url, or the 2018-09-01-preview raw string).
 */
import { base64url } from "jose";
import { PolicyTokenError } from "./errors.js";

// CAUTION: public API
/** The payload claim that carries the policy. */
export const POLICY_CLAIM = "AttestationPolicy";

// CAUTION: public API
/** How the `AttestationPolicy` claim held the policy: base64url of UTF-8 (GA API) or raw text (2018 preview). */
export type PayloadForm = "base64url" | "raw";

const encoder = new TextEncoder();
/** Strict UTF-8 that keeps a leading BOM (the text must come back byte-identical). */
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Encodes `text` as UTF-8; refuses a lone surrogate (it has no UTF-8 form) with P4025. */
export function utf8(text: string): Uint8Array {
  const m = LONE_SURROGATE.exec(text);
  if (m) {
    throw new PolicyTokenError("P4025", `policy text: a lone UTF-16 surrogate at offset ${m.index} cannot be encoded as UTF-8`);
  }
  return encoder.encode(text);
}

/** Unpadded base64url of the UTF-8 bytes of `text`. */
export function base64urlText(text: string): string {
  return base64url.encode(utf8(text));
}

/** The payload object of a policy token for `text`. */
export function policyPayload(text: string): { AttestationPolicy: string } {
  return { [POLICY_CLAIM]: base64urlText(text) } as { AttestationPolicy: string };
}

/** The payload bytes of a policy token for `text`: `{"AttestationPolicy":"<b64url>"}` (JSON, no spaces). */
export function policyPayloadBytes(text: string): Uint8Array {
  return encoder.encode(JSON.stringify(policyPayload(text)));
}

/**
 * Decodes strict, canonical, unpadded base64url; undefined when `s` is not. Canonical means the
 * unused low bits of the last character are zero, so no two strings decode to the same bytes
 * (a changed character in a signature can never go unnoticed).
 */
export function decodeBase64url(s: string): Uint8Array | undefined {
  if (!BASE64URL.test(s) || s.length % 4 === 1) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = base64url.decode(s);
  } catch {
    return undefined;
  }
  return base64url.encode(bytes) === s ? bytes : undefined;
}

/** Decodes UTF-8 strictly (keeping a BOM); undefined for invalid bytes. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Reads the value of the `AttestationPolicy` claim. A value in the base64url alphabet is decoded
 * (it must give UTF-8); anything else is the raw policy text of the 2018-09-01-preview form.
 * A policy text always holds `=` and `;`, which base64url never does, so the two cannot be confused.
 */
export function readPolicyClaim(value: unknown): { text: string; payloadForm: PayloadForm } {
  if (typeof value !== "string") {
    throw new PolicyTokenError("P4023", `payload: the \`${POLICY_CLAIM}\` claim must be a string, not ${describeJson(value)}`);
  }
  if (BASE64URL.test(value)) {
    const bytes = decodeBase64url(value);
    const text = bytes && decodeUtf8(bytes);
    if (text === undefined) {
      throw new PolicyTokenError("P4023", `payload: the \`${POLICY_CLAIM}\` claim is not base64url of UTF-8 text`);
    }
    return { text, payloadForm: "base64url" };
  }
  return { text: value, payloadForm: "raw" };
}

/** A short description of a JSON value for messages. */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}
