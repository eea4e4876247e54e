/**
 * Certificates and CRLs through @peculiar/x509 (WebCrypto underneath). Every function catches what
 * the library throws and returns undefined or false, so callers never see an exception.
 *
 * @peculiar/x509 2.x needs the `reflect-metadata` polyfill loaded first (its dependency injection).
 */
import "reflect-metadata";
import { X509Certificate, X509Crl } from "@peculiar/x509";
import { fromHex, toHex } from "../bytes.js";

/** A certificate read from PEM or DER, or undefined when it cannot be read. */
export function readCertificate(data: string | Uint8Array): X509Certificate | undefined {
  try {
    return new X509Certificate(typeof data === "string" ? data : copy(data));
  } catch {
    return undefined;
  }
}

/** The PEM certificates in a text, in order. */
export function pemCertificates(text: string): string[] {
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => m[0]);
}

/** The DER SubjectPublicKeyInfo of a certificate, as hex. */
export function spkiHex(cert: X509Certificate): string {
  return toHex(new Uint8Array(cert.publicKey.rawData));
}

/** Whether `cert`'s signature verifies with `issuer`'s key (signature only, no dates). */
export async function signedBy(cert: X509Certificate, issuer: X509Certificate): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

/** A short printable description: the subject CN (or the whole subject). */
export function certName(cert: X509Certificate): string {
  const cn = /(?:^|,\s*)CN=([^,]+)/.exec(cert.subject);
  return cn ? (cn[1] as string) : cert.subject;
}

/** The serial number of a certificate, lowercase hex without leading zeros. */
export function serialHex(cert: X509Certificate): string {
  return cert.serialNumber.toLowerCase().replace(/^0+(?=.)/, "");
}

function copy(b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}

/** A CRL from DER bytes, hex text, PEM text or base64 text; undefined when it cannot be read. */
export function readCrl(data: string | Uint8Array): X509Crl | undefined {
  try {
    if (typeof data !== "string") return new X509Crl(copy(data));
    const t = data.trim();
    const hex = fromHex(t);
    if (hex !== undefined) return new X509Crl(copy(hex));
    return new X509Crl(t);
  } catch {
    return undefined;
  }
}

/** Whether a CRL's signature verifies with `issuer`'s key. */
export async function crlSignedBy(crl: X509Crl, issuer: X509Certificate): Promise<boolean> {
  try {
    return await crl.verify({ publicKey: issuer });
  } catch {
    return false;
  }
}

/** Whether a CRL lists the certificate's serial number. */
export function isRevoked(crl: X509Crl, cert: X509Certificate): boolean {
  try {
    const s = serialHex(cert);
    return crl.entries.some((e) => e.serialNumber.toLowerCase().replace(/^0+(?=.)/, "") === s);
  } catch {
    return false;
  }
}

export { X509Certificate, X509Crl };
