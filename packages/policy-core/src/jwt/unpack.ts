/**
 * `unpackPolicy`: reads a policy token without verifying it. Tells apart a policy token (signed or
 * not, base64url or raw payload), the empty reset token, a plain policy text, a malformed token
 * and a token of another kind, each with its own result or code.
 */
import type { DiagnosticCode } from "../diagnostics/catalog/index.js";
import { looksLikeCompactJws, splitCompact, type CompactParts, type JwsHeader } from "./compact.js";
import { PolicyTokenError } from "./errors.js";
import { POLICY_CLAIM, readPolicyClaim, type PayloadForm } from "./payload.js";

// CAUTION: public API
/** The claim names under which a policy signer token carries its certificate. */
export const SIGNER_CLAIMS = ["policyCertificate", "maa-policyCertificate", "aas-policyCertificate"] as const;

// CAUTION: public API
/** One of `SIGNER_CLAIMS`. */
export type SignerClaimName = (typeof SIGNER_CLAIMS)[number];

// CAUTION: public API
/** A policy token, read. */
export interface UnpackedPolicy {
  readonly kind: "policy";
  /** The token, trimmed of surrounding whitespace. */
  readonly token: string;
  readonly header: JwsHeader;
  /** Whether `alg` is not `none` (the signature is not checked here: see `verifyPolicyToken`). */
  readonly signed: boolean;
  /** `base64url` (GA API) or `raw` (the 2018-09-01-preview plain-string form). */
  readonly payloadForm: PayloadForm;
  /** The policy text, exactly as packed. */
  readonly text: string;
}

// CAUTION: public API
/** A token with an empty payload (`eyJhbGciOiJub25lIn0..` unsigned): resets the policy to the default. */
export interface UnpackedReset {
  readonly kind: "reset";
  readonly token: string;
  readonly header: JwsHeader;
  readonly signed: boolean;
}

// CAUTION: public API
/**
 * Why the input is not a policy token: P4001 (it is a policy text), P4002 (malformed token),
 * P4003 (a token of another kind), P4023 (a bad `AttestationPolicy` claim).
 */
export interface UnpackFailure {
  readonly kind: "error";
  readonly code: DiagnosticCode;
  readonly message: string;
}

// CAUTION: public API
/** What `unpackPolicy` found. */
export type UnpackResult = UnpackedPolicy | UnpackedReset | UnpackFailure;

/** What a token is, judged from its payload. */
export type TokenKind = "policy" | "reset" | "signer" | "other";

/** Classifies a decoded token by its payload claims. */
export function tokenKind(parts: CompactParts): TokenKind {
  if (parts.payloadError) throw parts.payloadError;
  if (parts.payload === undefined) return "reset";
  if (Object.prototype.hasOwnProperty.call(parts.payload, POLICY_CLAIM)) return "policy";
  if (SIGNER_CLAIMS.some((c) => Object.prototype.hasOwnProperty.call(parts.payload, c))) return "signer";
  return "other";
}

/** The message for a token that is not a policy token. */
export function otherKindMessage(parts: CompactParts): string {
  const payload = parts.payload ?? {};
  const signerClaim = SIGNER_CLAIMS.find((c) => Object.prototype.hasOwnProperty.call(payload, c));
  if (signerClaim) return `token: a policy signer token (claim \`${signerClaim}\`), not a policy token`;
  if (Object.prototype.hasOwnProperty.call(payload, "x-ms-policy")) {
    return "token: a service response carrying the policy in its `x-ms-policy` claim: unpack that claim's value";
  }
  if (Object.keys(payload).some((k) => k.startsWith("x-ms-"))) return "token: an attestation result, not a policy token";
  return `token: the payload has no \`${POLICY_CLAIM}\` claim, so it is not a policy token`;
}

/** Whether `input` reads like a policy text rather than a token. */
function looksLikePolicyText(input: string): boolean {
  return /\bversion\s*=|\b(authorization|issuance|configuration)rules\b/i.test(input);
}

/** Splits a token for `unpackPolicy`, turning plain text and JSON into their own failures. */
export function splitPolicyInput(input: string): CompactParts {
  const trimmed = input.trim();
  if (trimmed.length === 0) throw new PolicyTokenError("P4002", "token: the input is empty");
  if (!looksLikeCompactJws(trimmed)) {
    if (looksLikePolicyText(trimmed) && !trimmed.startsWith("{")) {
      throw new PolicyTokenError("P4001", "input: this is a policy text, not a token: pack it with `maa-policy pack`");
    }
    if (trimmed.startsWith("{")) throw new PolicyTokenError("P4002", "token: a JSON document, not a compact JWS (`header.payload.signature`)");
  }
  const parts = splitCompact(trimmed);
  if (parts.header.alg === "none" && parts.signature.length > 0) {
    throw new PolicyTokenError("P4002", "token: `alg: none` but the signature part is not empty");
  }
  return parts;
}

/** Reads a policy token (without checking its signature). Never throws. */
export function unpackPolicy(input: string): UnpackResult {
  try {
    const parts = splitPolicyInput(input);
    const signed = parts.header.alg !== "none";
    const kind = tokenKind(parts);
    if (kind === "reset") return { kind: "reset", token: parts.token, header: parts.header, signed };
    if (kind !== "policy") return { kind: "error", code: "P4003", message: otherKindMessage(parts) };
    const { text, payloadForm } = readPolicyClaim(parts.payload?.[POLICY_CLAIM]);
    return { kind: "policy", token: parts.token, header: parts.header, signed, payloadForm, text };
  } catch (e) {
    if (e instanceof PolicyTokenError) return { kind: "error", code: e.code, message: e.message };
    throw e;
  }
}

// CAUTION: public API
/** What an input is, at a glance: a policy text, a policy/reset/signer/other token, or malformed. */
export type InputKind = "text" | "policy" | "reset" | "signer" | "other" | "malformed";

/** Classifies `input` without verifying anything (for commands that accept several kinds). Never throws. */
export function classifyPolicyInput(input: string): InputKind {
  try {
    return tokenKind(splitPolicyInput(input));
  } catch (e) {
    if (e instanceof PolicyTokenError && e.code === "P4001") return "text";
    if (e instanceof PolicyTokenError) return "malformed";
    throw e;
  }
}
