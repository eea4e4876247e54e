/**
 * `packPolicy`: a policy text into the JWS the service takes. Unsigned: `{"alg":"none"}`, the
 * payload, an empty signature (jose's `UnsecuredJWT`). Signed: `{"alg":…,"x5c":[…]}` with the
 * chain given (see `sign.ts`). No clock and no claims besides the policy, so the output depends
 * only on the input (RS256 signatures are deterministic; PS* and ES* are randomised by definition).
 */
import { UnsecuredJWT } from "jose";
import { PolicyTokenError } from "./errors.js";
import { policyPayload, policyPayloadBytes } from "./payload.js";
import { signPayload } from "./sign.js";

// CAUTION: public API
/** How to pack: unsigned unless `key` or `certificates` is given (then both are needed). */
export interface PackOptions {
  /** The signer's private key, PEM (PKCS#8, PKCS#1 or SEC1 EC). */
  readonly key?: string | undefined;
  /** PEM text(s) of the certificate chain, signer certificate first; every block goes into `x5c`. */
  readonly certificates?: string | readonly string[] | undefined;
  /** The algorithm; default RS256 for RSA keys, ES256/384/512 by curve for EC keys. */
  readonly alg?: string | undefined;
}

// CAUTION: public API
/** A packed token and the warnings about it (e.g. an algorithm other than RS256). */
export interface PackResult {
  readonly token: string;
  readonly warnings: string[];
}

/**
 * Packs `text` into an unsigned token, or a signed one when `options.key` and
 * `options.certificates` are given. Rejects with a `PolicyTokenError` (P4xxx) when it cannot.
 */
export async function packPolicy(text: string, options: PackOptions = {}): Promise<PackResult> {
  const payloadBytes = policyPayloadBytes(text);
  const noCerts = options.certificates === undefined || (typeof options.certificates !== "string" && options.certificates.length === 0);
  if (options.key === undefined && noCerts) {
    if (options.alg !== undefined && options.alg !== "none") {
      throw new PolicyTokenError("P4019", `alg \`${options.alg}\`: signing needs a private key and its certificate`);
    }
    return { token: new UnsecuredJWT(policyPayload(text)).encode(), warnings: [] };
  }
  if (options.key === undefined) throw new PolicyTokenError("P4019", "signing: a certificate was given but no private key");
  if (noCerts) throw new PolicyTokenError("P4015", "signing: a private key was given but no certificate");
  return signPayload(payloadBytes, { key: options.key, certificates: options.certificates ?? [], alg: options.alg });
}
