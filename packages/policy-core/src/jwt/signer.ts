/**
 * Policy signer tokens: a JWS signed by a trusted signer whose payload names a certificate to add
 * to (or remove from) the trusted signers: `{"policyCertificate": {"kty": "RSA", "x5c": ["…"]}}`
 * (GA API), `maa-policyCertificate` (2018 preview) or `aas-policyCertificate`.
 */
import { describeJson } from "./payload.js";
import { certificateInfo, derBase64, readCertificate, readPemCertificates, readTrustedSigners, type CertificateInfo } from "./certificates.js";
import { splitCompact } from "./compact.js";
import { PolicyTokenError, type TokenProblem } from "./errors.js";
import { signPayload, type SigningOptions } from "./sign.js";
import { SIGNER_CLAIMS, otherKindMessage, tokenKind, type SignerClaimName } from "./unpack.js";
import { verifySignature } from "./verify.js";

// CAUTION: public API
/** Options of `createSignerToken`. */
export interface SignerTokenOptions {
  /** The claim name; default `policyCertificate` (GA API). */
  readonly claimName?: SignerClaimName | undefined;
  /** The signing algorithm; default RS256 for RSA keys. */
  readonly alg?: string | undefined;
}

// CAUTION: public API
/** A verified signer token. */
export interface VerifiedSignerToken {
  readonly verified: true;
  readonly claimName: SignerClaimName;
  /** The certificate the token adds or removes. */
  readonly certificate: CertificateInfo;
  /** The trusted signer that signed the token. */
  readonly signer: CertificateInfo;
  readonly warnings: string[];
}

// CAUTION: public API
/** A refused signer token with the P4xxx code of the reason. */
export interface RejectedSignerToken extends TokenProblem {
  readonly verified: false;
}

// CAUTION: public API
/** What `verifySignerToken` decided. */
export type SignerVerifyResult = VerifiedSignerToken | RejectedSignerToken;

/** The `kty` of a certificate's key (`RSA` or `EC`). */
function ktyOf(keyType: string | undefined): string {
  return keyType === "ec" ? "EC" : "RSA";
}

/**
 * Makes a signer token for `certificateToAddPem` (the first certificate of that PEM), signed with
 * `signingKeyPem` whose certificate chain is `signingChainPem`.
 */
export async function createSignerToken(
  certificateToAddPem: string,
  signingKeyPem: string,
  signingChainPem: string | readonly string[],
  options: SignerTokenOptions = {},
): Promise<{ token: string; warnings: string[] }> {
  const claimName = options.claimName ?? "policyCertificate";
  if (!(SIGNER_CLAIMS as readonly string[]).includes(claimName)) {
    throw new PolicyTokenError("P4024", `claim name \`${String(claimName)}\`: must be one of ${SIGNER_CLAIMS.join(", ")}`);
  }
  const [cert] = readPemCertificates(certificateToAddPem, "certificate to add");
  if (!cert) throw new PolicyTokenError("P4016", "certificate to add: no `-----BEGIN CERTIFICATE-----` block found");
  const payload = { [claimName]: { kty: ktyOf(cert.publicKey.asymmetricKeyType), x5c: [derBase64(cert)] } };
  const signer: SigningOptions = { key: signingKeyPem, certificates: signingChainPem, alg: options.alg };
  return signPayload(new TextEncoder().encode(JSON.stringify(payload)), signer);
}

async function verifySignerOrThrow(token: string, trustedSignersPem: string | readonly string[], now: Date | undefined): Promise<VerifiedSignerToken> {
  const trusted = readTrustedSigners(typeof trustedSignersPem === "string" ? trustedSignersPem : trustedSignersPem.join("\n"));
  const parts = splitCompact(token);
  // The signature first: a tampered payload is a bad signature, not a token of another kind.
  const facts = await verifySignature(parts, trusted, now, "token");
  const kind = tokenKind(parts);
  if (kind !== "signer") {
    throw new PolicyTokenError("P4003", kind === "policy" ? "token: a policy token, not a policy signer token" : otherKindMessage(parts));
  }
  const payload = parts.payload ?? {};
  const claimName = SIGNER_CLAIMS.find((c) => Object.prototype.hasOwnProperty.call(payload, c)) as SignerClaimName;
  const jwk = payload[claimName];
  if (jwk === null || typeof jwk !== "object" || Array.isArray(jwk)) {
    throw new PolicyTokenError("P4024", `payload: \`${claimName}\` must be a JWK object, not ${describeJson(jwk)}`);
  }
  const { kty, x5c } = jwk as { kty?: unknown; x5c?: unknown };
  if (!Array.isArray(x5c) || x5c.length === 0) {
    throw new PolicyTokenError("P4024", `payload: \`${claimName}\` has no \`x5c\` certificate`);
  }
  const cert = readCertificate(x5c[0], `payload: ${claimName}: x5c[0]`);
  if (typeof kty !== "string" || kty !== ktyOf(cert.publicKey.asymmetricKeyType)) {
    throw new PolicyTokenError(
      "P4024",
      `payload: \`${claimName}\`: \`kty\` is ${typeof kty === "string" ? `\`${kty}\`` : describeJson(kty)} but the certificate has an ${ktyOf(cert.publicKey.asymmetricKeyType)} key`,
    );
  }
  return { verified: true, claimName, certificate: certificateInfo(cert), signer: certificateInfo(facts.signer), warnings: facts.warnings };
}

/**
 * Verifies a policy signer token against the trusted signers (PEM) and returns the certificate it
 * carries. Never throws for bad input: a refusal is a `RejectedSignerToken` with its code.
 */
export async function verifySignerToken(
  token: string,
  trustedSignersPem: string | readonly string[],
  options: { readonly now?: Date | undefined } = {},
): Promise<SignerVerifyResult> {
  try {
    return await verifySignerOrThrow(token, trustedSignersPem, options.now);
  } catch (e) {
    if (e instanceof PolicyTokenError) return { verified: false, code: e.code, message: e.message };
    throw e;
  }
}
