/**
 * The JWS algorithms: which a policy token may use, and how every other `alg` value is named in
 * an error (`none`, HMAC, a registered JWS algorithm we do not accept, or not a JWS algorithm).
 */
import { suggest } from "../util/suggest.js";
import { PolicyTokenError } from "./errors.js";

// CAUTION: public API
/** The signature algorithms accepted for policy and signer tokens. RS256 is the documented one. */
export const SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"] as const;

// CAUTION: public API
/** One of `SIGNING_ALGORITHMS`. */
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

const HMAC = ["HS256", "HS384", "HS512"];
/** Registered JWS algorithms (RFC 7518, RFC 8037, RFC 8812, JOSE post-quantum drafts) not used for policies. */
const OTHER_JWS = ["EdDSA", "Ed25519", "Ed448", "ES256K", "ML-DSA-44", "ML-DSA-65", "ML-DSA-87"];

/** The curve each ECDSA algorithm requires. */
export const EC_CURVES: Readonly<Record<string, string>> = { ES256: "P-256", ES384: "P-384", ES512: "P-521" };
/** Node's names of those curves. */
export const NODE_CURVES: Readonly<Record<string, string>> = { "P-256": "prime256v1", "P-384": "secp384r1", "P-521": "secp521r1" };

/** The key family an algorithm needs. */
export function keyTypeOf(alg: SigningAlgorithm): "rsa" | "ec" {
  return alg.startsWith("ES") ? "ec" : "rsa";
}

/** Whether `alg` is one of `SIGNING_ALGORITHMS`. */
export function isSigningAlgorithm(alg: unknown): alg is SigningAlgorithm {
  return typeof alg === "string" && (SIGNING_ALGORITHMS as readonly string[]).includes(alg);
}

/**
 * Checks the `alg` of a token that must be signed; throws P4004 (`none`), P4005 (HMAC),
 * P4007 (a JWS algorithm policy tokens do not use) or P4006 (not a JWS algorithm at all).
 */
export function requireSigningAlgorithm(alg: unknown, context: string): SigningAlgorithm {
  if (isSigningAlgorithm(alg)) return alg;
  if (alg === undefined) throw new PolicyTokenError("P4002", `${context}: the header has no \`alg\``);
  if (typeof alg !== "string") throw new PolicyTokenError("P4006", `${context}: \`alg\` must be a string`);
  if (alg === "none") {
    throw new PolicyTokenError("P4004", `${context}: the token is unsigned (\`alg: none\`) but a signature is required`);
  }
  if (HMAC.includes(alg)) {
    throw new PolicyTokenError("P4005", `${context}: \`${alg}\` is an HMAC algorithm: a shared secret cannot identify a signer, use \`RS256\``);
  }
  if (OTHER_JWS.includes(alg)) {
    throw new PolicyTokenError("P4007", `${context}: \`${alg}\` is not accepted for policy tokens: use \`RS256\``);
  }
  const guess = suggest(alg, [...SIGNING_ALGORITHMS]);
  throw new PolicyTokenError(
    "P4006",
    `${context}: \`${alg}\` is not a JWS algorithm${guess ? `: did you mean \`${guess}\`?` : ": use `RS256`"}`,
  );
}
