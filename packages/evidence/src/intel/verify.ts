/**
 * Verification of an Intel quote, each step separately: the quote signature by the attestation
 * key, the QE report binding of that key, the QE report signature by the PCK leaf, the PCK chain
 * to the pinned Intel SGX Root CA key, and the validity of each certificate at `now`. Collateral
 * (CRLs, TCB info, QE identity) is checked in `collateral.ts`.
 */
import { bytesEqual, concatBytes, isZero, toHex } from "../bytes.js";
import { digest } from "../hash.js";
import type { VerificationCheck } from "../types.js";
import type { IntelQuote } from "./quote.js";
import { INTEL_SGX_ROOT_SPKI_HEX } from "./roots.js";
import { P256_SPKI_PREFIX, p256Verifier } from "../signature.js";
import { certName, p256KeyOf, readCertificate, signedBy, spkiBytes, spkiHex, type X509Certificate } from "./x509.js";

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** Copies a view into a fresh ArrayBuffer-backed array (WebCrypto wants exactly its bytes). */
function own(b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}

/** SHA-256 of bytes (the package's digest: `hash.ts`). */
export function sha256(b: Uint8Array): Promise<Uint8Array> {
  return digest("SHA-256", b);
}

/**
 * Imported raw P-256 keys by their hex: an attestation key is the platform's for as long as it stays
 * provisioned, so a platform's quotes repeat it, and WebCrypto's `importKey` is the costliest step
 * of a verification on Node (synchronous key parsing). The key depends only on the bytes, so the
 * cache is invisible; bounded, FIFO. A rejected import is not kept.
 */
const RAW_KEYS = new Map<string, Promise<CryptoKey>>();
const RAW_KEYS_SIZE = 256;

function rawP256Key(publicXY: Uint8Array): Promise<CryptoKey> {
  const id = toHex(publicXY);
  const hit = RAW_KEYS.get(id);
  if (hit !== undefined) return hit;
  const k = subtle().importKey("raw", own(concatBytes(new Uint8Array([4]), publicXY)), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  if (RAW_KEYS.size >= RAW_KEYS_SIZE) RAW_KEYS.delete(RAW_KEYS.keys().next().value as string);
  RAW_KEYS.set(id, k);
  k.catch(() => {
    if (RAW_KEYS.get(id) === k) RAW_KEYS.delete(id);
  });
  return k;
}

/** Verifies a raw r‖s ECDSA P-256/SHA-256 signature with a raw x‖y public key; false on any error. */
export async function verifyP256Raw(publicXY: Uint8Array, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  try {
    const host = p256Verifier();
    if (host !== undefined) return publicXY.length === 64 && (await host(concatBytes(P256_SPKI_PREFIX, publicXY), signature, data)) === true;
    const key = await rawP256Key(publicXY);
    return await subtle().verify({ name: "ECDSA", hash: "SHA-256" }, key, own(signature), own(data));
  } catch {
    return false;
  }
}

/**
 * Results of `verifyWithCertificate` per parsed certificate, by signature (hex), with the signed
 * bytes to compare: what a certificate's key signs here is the platform's or the collateral's,
 * not the quote's (the QE report and its signature change only when the attestation key is
 * provisioned again; TCB info and QE identity only with the collateral), so a platform's quotes
 * repeat them. A pure function of (key, signature, bytes), so the cache is invisible; at most 64
 * per certificate, and gone with the certificate. The quote's own signature is never cached.
 */
const CERT_SIGNED = new WeakMap<X509Certificate, Map<string, { readonly data: Uint8Array; readonly ok: boolean }>>();

/** Verifies a raw r‖s ECDSA/SHA-256 signature with a certificate's (P-256) key; false on any error. */
export async function verifyWithCertificate(cert: X509Certificate, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  const id = toHex(signature);
  let known = CERT_SIGNED.get(cert);
  const hit = known?.get(id);
  if (hit !== undefined && bytesEqual(hit.data, data)) return hit.ok;
  const ok = await verifyWithCertificateUncached(cert, signature, data);
  if (known === undefined) {
    known = new Map();
    CERT_SIGNED.set(cert, known);
  }
  if (known.size >= 64) known.clear();
  known.set(id, { data: data.slice(), ok });
  return ok;
}

async function verifyWithCertificateUncached(cert: X509Certificate, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  try {
    const host = p256Verifier();
    if (host !== undefined) return (await host(spkiBytes(cert), signature, data)) === true;
    const key = await p256KeyOf(cert);
    return await subtle().verify({ name: "ECDSA", hash: "SHA-256" }, key, own(signature), own(data));
  } catch {
    return false;
  }
}

/** The outcome of the chain checks: the parsed certificates for later steps. */
export interface ChainResult {
  readonly checks: VerificationCheck[];
  readonly certs: readonly X509Certificate[];
  /** True when the chain verified to the pinned root (dates aside). */
  readonly trusted: boolean;
}

/**
 * Checks a certificate chain (leaf first) against the pinned Intel SGX Root CA key: each
 * certificate signed by the next, the last one self-signed with the pinned key; and each valid at
 * `now`. `idPrefix` is `sgx.pck`, `tdx.pck`, `sgx.tcb-info-signing` …; `rootSpki` is the pinned key
 * (the Intel SGX Root CA; tests pass their own to exercise revocation with CRLs they can sign).
 */
export async function verifyIntelChain(pems: readonly string[], now: Date, idPrefix: string, what: string, rootSpki: string = INTEL_SGX_ROOT_SPKI_HEX): Promise<ChainResult> {
  const checks: VerificationCheck[] = [];
  const certs: X509Certificate[] = [];
  for (let i = 0; i < pems.length; i++) {
    const c = readCertificate(pems[i] as string);
    if (c === undefined) {
      checks.push({ id: `${idPrefix}.chain`, title: `${what} to the Intel SGX Root CA`, status: "failed", detail: `certificate ${i + 1} of ${pems.length} cannot be read as X.509`, code: "P5014" });
      checks.push({ id: `${idPrefix}.certificate-validity`, title: `${what}: validity at the verification time`, status: "not-checked", detail: "the chain could not be read" });
      return { checks, certs, trusted: false };
    }
    certs.push(c);
  }
  let chainOk = true;
  let detail = "";
  let code: "P5013" | "P5014" | undefined;
  if (certs.length === 0) {
    chainOk = false;
    detail = "no certificate";
    code = "P5014";
  }
  for (let i = 0; chainOk && i + 1 < certs.length; i++) {
    const c = certs[i] as X509Certificate;
    const issuer = certs[i + 1] as X509Certificate;
    if (!(await signedBy(c, issuer))) {
      chainOk = false;
      detail = `\`${certName(c)}\` (certificate ${i + 1}) is not signed by \`${certName(issuer)}\` (certificate ${i + 2})`;
      code = "P5014";
    }
  }
  if (chainOk) {
    const root = certs[certs.length - 1] as X509Certificate;
    if (spkiHex(root) !== rootSpki) {
      chainOk = false;
      detail = `the chain ends at \`${certName(root)}\`, whose key is not the Intel SGX Root CA key`;
      code = "P5013";
    } else if (!(await signedBy(root, root))) {
      chainOk = false;
      detail = `the root certificate \`${certName(root)}\` has the Intel key but its self-signature does not verify`;
      code = "P5014";
    } else {
      detail = certs.map((c) => `\`${certName(c)}\``).join(" → ") + " (pinned Intel SGX Root CA key)";
    }
  }
  checks.push({ id: `${idPrefix}.chain`, title: `${what} to the Intel SGX Root CA`, status: chainOk ? "passed" : "failed", detail, ...(code ? { code } : {}) });
  const bad: string[] = [];
  for (const c of certs) {
    if (now < c.notBefore) bad.push(`\`${certName(c)}\` is not valid before ${c.notBefore.toISOString()}`);
    else if (now > c.notAfter) bad.push(`\`${certName(c)}\` expired at ${c.notAfter.toISOString()}`);
  }
  checks.push(
    bad.length === 0
      ? { id: `${idPrefix}.certificate-validity`, title: `${what}: validity at the verification time`, status: "passed", detail: `all ${certs.length} certificates are valid at ${now.toISOString()}` }
      : { id: `${idPrefix}.certificate-validity`, title: `${what}: validity at the verification time`, status: "failed", detail: `at ${now.toISOString()}: ${bad.join("; ")}`, code: "P5015" },
  );
  return { checks, certs, trusted: chainOk };
}

/** The result of verifying the quote itself: the checks and the PCK chain for the collateral step. */
export interface QuoteVerification {
  readonly checks: VerificationCheck[];
  readonly chain: ChainResult;
}

/** Verifies the quote signature, the QE binding, the QE report signature and the PCK chain. */
export async function verifyIntelQuote(q: IntelQuote, now: Date, rootSpki: string = INTEL_SGX_ROOT_SPKI_HEX): Promise<QuoteVerification> {
  const p = q.tee;
  const checks: VerificationCheck[] = [];
  // The quote signature, the QE binding hash and the PCK chain are independent: started together,
  // so their WebCrypto jobs overlap on the thread pool instead of waiting for each other.
  const [sigOk, expected, chain] = await Promise.all([
    verifyP256Raw(q.attestKey, q.signature, q.signed),
    sha256(concatBytes(q.attestKey, q.qeAuthData)),
    verifyIntelChain(
      q.pckChain.map((b) => b.pem),
      now,
      p === "sgx" ? "sgx.pck" : "tdx.pck",
      "PCK certificate chain",
      rootSpki,
    ),
  ]);
  checks.push(
    sigOk
      ? { id: `${p}.quote-signature`, title: "Quote signature by the attestation key", status: "passed", detail: `ECDSA P-256 signature at offset ${q.signatureOffset} verifies over bytes 0..${q.signed.length} (header and body)` }
      : { id: `${p}.quote-signature`, title: "Quote signature by the attestation key", status: "failed", detail: `the ECDSA P-256 signature at offset ${q.signatureOffset} does not verify over bytes 0..${q.signed.length} with the attestation key: the header or body was changed`, code: "P5010" },
  );
  const rd = q.qeReport.reportData;
  const bindOk = bytesEqual(rd.subarray(0, 32), expected) && isZero(rd.subarray(32, 64));
  checks.push(
    bindOk
      ? { id: `${p}.qe-binding`, title: "QE report binds the attestation key", status: "passed", detail: "QE report_data[0:32] = SHA-256(attestation key ‖ QE authentication data), [32:64] = 0" }
      : {
          id: `${p}.qe-binding`,
          title: "QE report binds the attestation key",
          status: "failed",
          detail: `QE report_data at offset ${q.qeReportOffset + 320} is ${toHex(rd.subarray(0, 32))}…, expected SHA-256(attestation key ‖ QE authentication data) = ${toHex(expected)} followed by 32 zero bytes`,
          code: "P5011",
        },
  );
  const leaf = chain.certs[0];
  if (leaf === undefined) {
    checks.push({ id: `${p}.qe-report-signature`, title: "QE report signature by the PCK certificate", status: "not-checked", detail: "the PCK certificate could not be read" });
  } else {
    const ok = await verifyWithCertificate(leaf, q.qeReportSignature, q.qeReportBytes);
    checks.push(
      ok
        ? { id: `${p}.qe-report-signature`, title: "QE report signature by the PCK certificate", status: "passed", detail: `the signature at offset ${q.qeReportSignatureOffset} verifies over the QE report at offset ${q.qeReportOffset} with \`${certName(leaf)}\`` }
        : { id: `${p}.qe-report-signature`, title: "QE report signature by the PCK certificate", status: "failed", detail: `the signature at offset ${q.qeReportSignatureOffset} does not verify over the QE report at offset ${q.qeReportOffset} with the key of \`${certName(leaf)}\``, code: "P5012" },
    );
  }
  checks.push(...chain.checks);
  return { checks, chain };
}
