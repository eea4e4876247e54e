/**
 * Private keys for signing: PEM in PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`) or SEC1
 * (`EC PRIVATE KEY`), read with `node:crypto` (computation only) and handed to `jose` as PKCS#8.
 */
import { createPrivateKey, createPublicKey, type KeyObject, type X509Certificate } from "node:crypto";
import { importPKCS8, type CryptoKey } from "jose";
import { EC_CURVES, type SigningAlgorithm } from "./algorithms.js";
import { curveName } from "./certificates.js";
import { PolicyTokenError, fromJoseError } from "./errors.js";

/** Reads a PEM private key; throws P4019 when it is not a readable, unencrypted RSA or EC key. */
export function readPrivateKey(pem: string, context: string): KeyObject {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new PolicyTokenError("P4019", `${context}: no \`-----BEGIN PRIVATE KEY-----\` block found`);
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new PolicyTokenError("P4019", `${context}: the key is encrypted: decrypt it first (\`openssl pkey -in key.pem -out plain.pem\`)`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    throw new PolicyTokenError("P4019", `${context}: not a PKCS#8, PKCS#1 or SEC1 private key`);
  }
  if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "ec") {
    throw new PolicyTokenError("P4019", `${context}: a \`${key.asymmetricKeyType ?? "unknown"}\` key: only RSA and EC keys can sign policies`);
  }
  return key;
}

/** The default algorithm for a key: RS256 for RSA, the ES* of the curve for EC. */
export function defaultAlgorithm(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === "rsa") return "RS256";
  const curve = curveName(key.asymmetricKeyDetails?.namedCurve);
  const alg = (Object.keys(EC_CURVES) as SigningAlgorithm[]).find((a) => EC_CURVES[a] === curve);
  if (!alg) throw new PolicyTokenError("P4019", `private key: the EC curve \`${key.asymmetricKeyDetails?.namedCurve ?? "?"}\` is not P-256, P-384 or P-521`);
  return alg;
}

/** Throws P4018 unless `key` is the private half of the public key in `cert`. */
export function checkKeyMatchesCertificate(key: KeyObject, cert: X509Certificate, context: string): void {
  const mine = createPublicKey(key).export({ type: "spki", format: "der" });
  const theirs = cert.publicKey.export({ type: "spki", format: "der" });
  if (!mine.equals(theirs)) {
    throw new PolicyTokenError(
      "P4018",
      `${context}: the private key does not belong to certificate \`${cert.subject.split("\n").join(", ")}\` (the first of the chain)`,
    );
  }
}

/** Converts a Node key to the WebCrypto key `jose` signs with. */
export async function toSigningKey(key: KeyObject, alg: SigningAlgorithm): Promise<CryptoKey> {
  const pkcs8 = key.export({ type: "pkcs8", format: "pem" }).toString();
  try {
    return await importPKCS8(pkcs8, alg);
  } catch (e) {
    throw fromJoseError(e, "private key");
  }
}
