/**
 * X.509 certificates for policy tokens: PEM bundles, `x5c` entries, the facts reported about a
 * certificate, and the checks made on a signing certificate (validity against an injected clock,
 * key strength, key type against the algorithm). Parsing uses `node:crypto`'s X509Certificate:
 * computation only, no I/O.
 */
import { Buffer } from "node:buffer";
import { X509Certificate, type KeyObject } from "node:crypto";
import { EC_CURVES, keyTypeOf, type SigningAlgorithm } from "./algorithms.js";
import { PolicyTokenError } from "./errors.js";

// CAUTION: public API
/** What this toolchain reports about a certificate. */
export interface CertificateInfo {
  /** The subject distinguished name, RDNs joined with `, ` (e.g. `CN=MaaTestCert1`). */
  readonly subject: string;
  readonly issuer: string;
  /** SHA-256 fingerprint of the DER, upper-case hex pairs joined with `:`. */
  readonly thumbprintSha256: string;
  readonly serialNumber: string;
  /** Start of the validity period (ISO 8601). */
  readonly validFrom: string;
  /** End of the validity period (ISO 8601). */
  readonly validTo: string;
  /** `RSA 2048`, `EC P-256` … */
  readonly key: string;
  /** The certificate as PEM (64-column base64, trailing newline). */
  readonly pem: string;
}

/**
 * The base64 bodies (whitespace removed) of the PEM blocks labelled `label` in `text`, in order.
 * One pass: each `-----BEGIN L-----` is matched with the next `-----END L-----`, and a label
 * found without an END once is never searched again, so that a file of repeated BEGIN lines
 * reads in linear time (a regular expression retried the rest of the text from each of them).
 * Throws P4016, naming the line, when a block labelled `label` has no END line.
 */
export function pemBodies(text: string, label = "CERTIFICATE"): string[] {
  const out: string[] = [];
  const noEnd = new Set<string>();
  const BEGIN = "-----BEGIN ";
  let at = 0;
  for (;;) {
    const b = text.indexOf(BEGIN, at);
    if (b < 0) return out;
    const close = text.indexOf("-----", b + BEGIN.length);
    const name = close < 0 ? "" : text.slice(b + BEGIN.length, close);
    if (close < 0 || !/^[A-Z0-9 ]+$/.test(name)) {
      at = b + BEGIN.length;
      continue;
    }
    const bodyStart = close + 5;
    const endMarker = `-----END ${name}-----`;
    const e = noEnd.has(name) ? -1 : text.indexOf(endMarker, bodyStart);
    if (e < 0) {
      if (name === label) {
        const line = lineOf(text, b);
        throw new PolicyTokenError("P4016", `line ${line}: \`-----BEGIN ${label}-----\` without its \`${endMarker}\``);
      }
      noEnd.add(name);
      at = bodyStart;
      continue;
    }
    if (name === label) out.push(text.slice(bodyStart, e).replace(/\s+/g, ""));
    at = e + endMarker.length;
  }
}

/** The one-based line of `offset` in `text`. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** PEM text for a base64 DER certificate. */
export function derBase64ToPem(b64: string): string {
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** Parses a base64 DER certificate (an `x5c` entry); throws P4016 with `context` when it cannot. */
export function readCertificate(b64: unknown, context: string): X509Certificate {
  if (typeof b64 !== "string" || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new PolicyTokenError("P4016", `${context}: not a base64 DER certificate`);
  }
  try {
    const cert = new X509Certificate(Buffer.from(b64, "base64"));
    // Parts are decoded lazily: read them now so a damaged certificate fails here, with its code.
    void cert.publicKey.asymmetricKeyType;
    if (Number.isNaN(Date.parse(cert.validFrom)) || Number.isNaN(Date.parse(cert.validTo))) throw new Error("validity");
    void cert.subject;
    return cert;
  } catch {
    throw new PolicyTokenError("P4016", `${context}: not an X.509 certificate`);
  }
}

/** Every certificate of a PEM text; throws P4016 for a block that is not a certificate. */
export function readPemCertificates(text: string, context: string): X509Certificate[] {
  let bodies: string[];
  try {
    bodies = pemBodies(text);
  } catch (e) {
    if (e instanceof PolicyTokenError) throw new PolicyTokenError(e.code, `${context}: ${e.message}`);
    throw e;
  }
  return bodies.map((b64, i) => readCertificate(b64, `${context}: certificate ${i + 1}`));
}

/** The trusted signers of a PEM bundle; throws P4022 when the bundle holds no certificate. */
export function readTrustedSigners(pem: string): X509Certificate[] {
  const certs = readPemCertificates(pem, "trusted signers");
  if (certs.length === 0) {
    throw new PolicyTokenError("P4022", "trusted signers: no `-----BEGIN CERTIFICATE-----` block found");
  }
  return certs;
}

/** The base64 DER of a certificate (its `x5c` form). */
export function derBase64(cert: X509Certificate): string {
  return cert.raw.toString("base64");
}

/** Whether `cert` is byte-for-byte one of `trusted`. */
export function isTrusted(cert: X509Certificate, trusted: readonly X509Certificate[]): boolean {
  return trusted.some((t) => t.raw.equals(cert.raw));
}

function parseDate(s: string): Date {
  return new Date(Date.parse(s));
}

/** `RSA 2048`, `EC P-256`, or the key type Node reports. */
export function describeKey(key: KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "rsa" || key.asymmetricKeyType === "rsa-pss") return `RSA ${d.modulusLength ?? "?"}`;
  if (key.asymmetricKeyType === "ec") return `EC ${curveName(d.namedCurve) ?? d.namedCurve ?? "?"}`;
  return key.asymmetricKeyType ?? "unknown";
}

/** The JOSE name (`P-256` …) of a Node curve name. */
export function curveName(nodeCurve: string | undefined): string | undefined {
  switch (nodeCurve) {
    case "prime256v1":
    case "P-256":
      return "P-256";
    case "secp384r1":
    case "P-384":
      return "P-384";
    case "secp521r1":
    case "P-521":
      return "P-521";
    default:
      return undefined;
  }
}

/** The facts reported about `cert`. */
export function certificateInfo(cert: X509Certificate): CertificateInfo {
  return {
    subject: cert.subject.split("\n").join(", "),
    issuer: cert.issuer.split("\n").join(", "),
    thumbprintSha256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
    validFrom: parseDate(cert.validFrom).toISOString(),
    validTo: parseDate(cert.validTo).toISOString(),
    key: describeKey(cert.publicKey),
    pem: derBase64ToPem(derBase64(cert)),
  };
}

/** Throws P4010/P4011 when `now` lies outside the validity period of `cert`. */
export function checkValidity(cert: X509Certificate, now: Date, context: string): void {
  const from = parseDate(cert.validFrom);
  const to = parseDate(cert.validTo);
  const subject = cert.subject.split("\n").join(", ");
  if (now.getTime() > to.getTime()) {
    throw new PolicyTokenError("P4010", `${context}: certificate \`${subject}\` expired on ${to.toISOString()} (checked at ${now.toISOString()})`);
  }
  if (now.getTime() < from.getTime()) {
    throw new PolicyTokenError(
      "P4011",
      `${context}: certificate \`${subject}\` is not valid before ${from.toISOString()} (checked at ${now.toISOString()})`,
    );
  }
}

/** Throws P4012 for an RSA key under 2048 bits. */
export function checkKeyStrength(key: KeyObject, context: string): void {
  if (key.asymmetricKeyType === "rsa" || key.asymmetricKeyType === "rsa-pss") {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new PolicyTokenError("P4012", `${context}: the RSA key has ${bits} bits; at least 2048 are required`);
  }
}

/** Throws P4017 when `key` cannot be used with `alg` (key family, or the curve of ES*). */
export function checkAlgorithmFitsKey(alg: SigningAlgorithm, key: KeyObject, context: string): void {
  const want = keyTypeOf(alg);
  const have = key.asymmetricKeyType;
  if (want === "rsa" && have !== "rsa") {
    throw new PolicyTokenError("P4017", `${context}: \`${alg}\` needs an RSA key, the certificate has ${describeKey(key)}`);
  }
  if (want === "ec") {
    const curve = curveName(key.asymmetricKeyDetails?.namedCurve);
    if (have !== "ec" || curve !== EC_CURVES[alg]) {
      throw new PolicyTokenError("P4017", `${context}: \`${alg}\` needs an EC ${EC_CURVES[alg] ?? ""} key, the certificate has ${describeKey(key)}`);
    }
  }
}
