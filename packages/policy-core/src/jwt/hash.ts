/**
 * The hashes the service reports: `x-ms-policy-hash` = B64URL(SHA256(B64URL(UTF-8 text))), over the
 * text only, and `x-ms-policy-token-hash` = B64URL(SHA256(the compact JWS as sent)).
 */
import { createHash } from "node:crypto";
import { base64url } from "jose";
import { base64urlText } from "./payload.js";

function sha256Base64url(ascii: string): string {
  return base64url.encode(createHash("sha256").update(ascii, "utf8").digest());
}

/** The `x-ms-policy-hash` claim value for the policy `text`. Throws P4025 for a lone surrogate. */
export function policyHash(text: string): string {
  return sha256Base64url(base64urlText(text));
}

/** The `x-ms-policy-token-hash` value for the compact JWS `jws` (surrounding whitespace ignored). */
export function policyTokenHash(jws: string): string {
  return sha256Base64url(jws.trim());
}
