/**
 * The tokens the service issues: `{"token": JWT}` envelopes signed RS256 by the provider's key,
 * header `{"alg","jku","kid","typ"}`, keys sorted at every level (SERVICE.md section 4), and the
 * lifetimes of the real service: 8 h for attestation tokens, 1 h for management tokens, `nbf = iat`.
 */
import type { SigningIdentity } from "./keys.js";
import { POOL_SIGNER, type Rs256Signer } from "./signing.js";

/** `exp - iat` of attestation tokens (seconds). */
export const ATTESTATION_TOKEN_LIFETIME = 8 * 3600;
/** `exp - iat` of policy and certificate management tokens (seconds). */
export const MANAGEMENT_TOKEN_LIFETIME = 3600;

/** `value` with object keys sorted, recursively (arrays keep their order). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/**
 * JSON of `claims` with sorted keys; an integer beyond 2^53 (a bigint) is written as its decimal
 * string. Without a bigint, JSON.stringify runs without a replacer (a call per value otherwise);
 * it throws a TypeError on the first bigint, and the replacer then writes them.
 */
function toJson(claims: Record<string, unknown>): string {
  const sorted = sortKeys(claims);
  try {
    return JSON.stringify(sorted);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return JSON.stringify(sorted, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
}

const ENCODER = new TextEncoder();

/** Base64url without padding (RFC 7515) of a string's UTF-8. */
function b64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

/** The issuer of one provider's tokens: its URL and key. */
export interface TokenIssuer {
  /** The provider URL, no trailing slash (`iss`). */
  readonly url: string;
  readonly identity: SigningIdentity;
  /** Who computes the RS256 signatures (default: libuv's thread pool). */
  readonly signer?: Rs256Signer;
}

function header(issuer: TokenIssuer, alg: "RS256" | "none"): Record<string, string> {
  return { alg, jku: `${issuer.url}/certs`, kid: issuer.identity.kid, typ: "JWT" };
}

function timeClaims(issuer: TokenIssuer, now: Date, lifetime: number): Record<string, unknown> {
  const iat = Math.floor(now.getTime() / 1000);
  return { exp: iat + lifetime, iat, iss: issuer.url, nbf: iat };
}

/**
 * The compact JWS, RS256: `BASE64URL(header).BASE64URL(payload).BASE64URL(signature)` (RFC 7515
 * §7.1), byte for byte what jose's `CompactSign` gives (a test compares them); the signature is the
 * issuer's signer's, so it can be made off the event loop.
 */
async function sign(issuer: TokenIssuer, claims: Record<string, unknown>): Promise<string> {
  const input = `${b64url(JSON.stringify(header(issuer, "RS256")))}.${b64url(toJson(claims))}`;
  const signature = await (issuer.signer ?? POOL_SIGNER).sign(issuer.identity.privateKey, ENCODER.encode(input));
  return `${input}.${Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString("base64url")}`;
}

/** A management token (policy get/set/reset, certificates): 1 h, no `jti` or `x-ms-ver`. */
export function managementToken(issuer: TokenIssuer, now: Date, claims: Record<string, unknown>): Promise<string> {
  return sign(issuer, { ...claims, ...timeClaims(issuer, now, MANAGEMENT_TOKEN_LIFETIME) });
}

/** A signed attestation token with `claims` (which already hold `iss`, the times and `jti`). */
export function attestationToken(issuer: TokenIssuer, claims: Record<string, unknown>): Promise<string> {
  return sign(issuer, claims);
}

/** The unsigned token of a draft-policy attest: `alg: none`, still with `jku`/`kid`/`typ`, empty signature. */
export function draftAttestationToken(issuer: TokenIssuer, claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify(header(issuer, "none")))}.${b64url(toJson(claims))}.`;
}
