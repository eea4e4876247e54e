/**
 * Signing a payload as a compact JWS with a PEM private key and its certificate chain in `x5c`
 * (shared by policy tokens and signer tokens). `jose`'s `CompactSign` does the signing.
 */
import type { X509Certificate } from "node:crypto";
import { CompactSign } from "jose";
import type { DiagnosticCode } from "../diagnostics/catalog/index.js";
import { requireSigningAlgorithm, type SigningAlgorithm } from "./algorithms.js";
import { checkAlgorithmFitsKey, checkKeyStrength, derBase64, readPemCertificates } from "./certificates.js";
import { PolicyTokenError, fromJoseError } from "./errors.js";
import { checkKeyMatchesCertificate, defaultAlgorithm, readPrivateKey, toSigningKey } from "./keys.js";

// CAUTION: public API
/** A signer: its private key and certificate chain (PEM), and optionally the algorithm. */
export interface SigningOptions {
  /** The signer's private key, PEM (PKCS#8, PKCS#1 or SEC1 EC). */
  readonly key: string;
  /** PEM text(s) of the certificate chain, signer certificate first; every block goes into `x5c`. */
  readonly certificates: string | readonly string[];
  /** The algorithm; default RS256 for RSA keys, ES256/384/512 by curve for EC keys. */
  readonly alg?: string | undefined;
}

/** The code of the warning about an algorithm other than RS256. */
const NON_RS256: DiagnosticCode = "P4020";

/** The warning for a signing algorithm other than the documented RS256, prefixed with its code (P4020). */
export function nonRs256Warning(alg: SigningAlgorithm): string {
  return `${NON_RS256}: \`${alg}\`: the service documents RS256 for policy tokens and may refuse this one`;
}

/** Signs `payload` with `signer`; resolves to the compact JWS and its warnings. */
export async function signPayload(payload: Uint8Array, signer: SigningOptions): Promise<{ token: string; warnings: string[] }> {
  const certTexts = typeof signer.certificates === "string" ? [signer.certificates] : [...signer.certificates];
  const chain: X509Certificate[] = certTexts.flatMap((t, i) =>
    readPemCertificates(t, certTexts.length > 1 ? `certificate file ${i + 1}` : "certificate"),
  );
  const leaf = chain[0];
  if (leaf === undefined) {
    throw new PolicyTokenError("P4015", "signing: no signer certificate given (`-----BEGIN CERTIFICATE-----`)");
  }
  const key = readPrivateKey(signer.key, "private key");
  checkKeyMatchesCertificate(key, leaf, "signing");
  const alg = signer.alg === undefined ? defaultAlgorithm(key) : requireSigningAlgorithm(signer.alg, "alg");
  checkAlgorithmFitsKey(alg, leaf.publicKey, "signing");
  checkKeyStrength(leaf.publicKey, "signing");
  const warnings = alg === "RS256" ? [] : [nonRs256Warning(alg)];
  const signingKey = await toSigningKey(key, alg);
  try {
    const token = await new CompactSign(payload).setProtectedHeader({ alg, x5c: chain.map(derBase64) }).sign(signingKey);
    return { token, warnings };
  } catch (e) {
    throw fromJoseError(e, "signing");
  }
}
