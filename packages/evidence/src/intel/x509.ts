/**
 * Certificates and CRLs through @peculiar/x509 (WebCrypto underneath). Every function catches what
 * the library throws and returns undefined or false, so callers never see an exception.
 *
 * @peculiar/x509 2.x needs the `reflect-metadata` polyfill loaded first (its dependency injection).
 */
import "reflect-metadata";
import { X509Certificate, X509Crl } from "@peculiar/x509";
import { fromHex, toHex } from "../bytes.js";

/** Parsed PEM certificates, by their text: the Intel CA certificates recur in every quote. Bounded, FIFO. */
const CACHE = new Map<string, X509Certificate>();
const CACHE_SIZE = 64;

/**
 * A certificate read from PEM or DER, or undefined when it cannot be read. PEM certificates are
 * kept in a small cache (the result depends only on the text, so the cache is invisible).
 */
export function readCertificate(data: string | Uint8Array): X509Certificate | undefined {
  if (typeof data !== "string") return parseCertificate(data);
  const hit = CACHE.get(data);
  if (hit !== undefined) return hit;
  const c = parseCertificate(data);
  if (c !== undefined) {
    if (CACHE.size >= CACHE_SIZE) CACHE.delete(CACHE.keys().next().value as string);
    CACHE.set(data, c);
  }
  return c;
}

function parseCertificate(data: string | Uint8Array): X509Certificate | undefined {
  try {
    // A PEM certificate is read as DER: @peculiar/x509 parses DER several times faster than PEM.
    const der = typeof data === "string" ? pemBody(data) : copy(data);
    return new X509Certificate(der ?? (data as string));
  } catch {
    return undefined;
  }
}

/** The DER bytes of a single PEM certificate, or undefined when the text is not one. */
function pemBody(text: string): Uint8Array<ArrayBuffer> | undefined {
  const m = /^\s*-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*)-----END CERTIFICATE-----\s*$/.exec(text);
  if (m === null) return undefined;
  try {
    const bin = atob((m[1] as string).replace(/\s+/g, ""));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

const PEM_BEGIN = "-----BEGIN CERTIFICATE-----";
const PEM_END = "-----END CERTIFICATE-----";

/** The [start, end) spans of the PEM certificates in a text, in order; linear in the text (indexOf, no backtracking). */
export function pemSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  for (;;) {
    const b = text.indexOf(PEM_BEGIN, from);
    if (b < 0) break;
    const e = text.indexOf(PEM_END, b + PEM_BEGIN.length);
    if (e < 0) break;
    out.push([b, e + PEM_END.length]);
    from = e + PEM_END.length;
  }
  return out;
}

/** The PEM certificates in a text, in order; at most `max`. */
export function pemCertificates(text: string, max = Number.POSITIVE_INFINITY): string[] {
  return pemSpans(text)
    .slice(0, max)
    .map(([b, e]) => text.slice(b, e));
}

const SPKIS = new WeakMap<X509Certificate, Uint8Array>();

/** The DER SubjectPublicKeyInfo of a certificate (read once per parsed certificate). */
export function spkiBytes(cert: X509Certificate): Uint8Array {
  let b = SPKIS.get(cert);
  if (b === undefined) {
    b = new Uint8Array(cert.publicKey.rawData);
    SPKIS.set(cert, b);
  }
  return b;
}

/** The DER SubjectPublicKeyInfo of a certificate, as hex. */
export function spkiHex(cert: X509Certificate): string {
  return toHex(spkiBytes(cert));
}

/** Results of `signedBy`, per (certificate, issuer) object pair: a pure function of the two, cached with the parsed certificates. */
const LINKS = new WeakMap<X509Certificate, WeakMap<X509Certificate, boolean>>();

/** Whether `cert`'s signature verifies with `issuer`'s key (signature only, no dates). */
export async function signedBy(cert: X509Certificate, issuer: X509Certificate): Promise<boolean> {
  const known = LINKS.get(cert)?.get(issuer);
  if (known !== undefined) return known;
  let ok: boolean;
  try {
    ok = await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    ok = false;
  }
  let m = LINKS.get(cert);
  if (m === undefined) {
    m = new WeakMap();
    LINKS.set(cert, m);
  }
  m.set(issuer, ok);
  return ok;
}

const KEYS = new WeakMap<X509Certificate, Promise<CryptoKey>>();

/** The certificate's P-256 public key as a WebCrypto verification key (imported once per certificate). */
export function p256KeyOf(cert: X509Certificate): Promise<CryptoKey> {
  let k = KEYS.get(cert);
  if (k === undefined) {
    k = cert.publicKey.export({ name: "ECDSA", namedCurve: "P-256" }, ["verify"]);
    KEYS.set(cert, k);
  }
  return k;
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
