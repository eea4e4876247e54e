/**
 * The SEV-SNP certificates: the VCEK (or VLEK) that signs the report, the ASK (or ASVK) that signs
 * it, and the ARK, AMD's self-signed root for the product. Read with `@peculiar/x509` (RSASSA-PSS
 * with SHA-384 for the AMD certificates; a VCEK's serial number is 0), and the VCEK extensions
 * (OID 1.3.6.1.4.1.3704.1.*: product name, the TCB security patch levels, hwID) with `asn1js`.
 */
// Also loads the Reflect metadata polyfill @peculiar/x509 needs (listed in package.json `sideEffects`).
import { pemCertificates, readCrl } from "../intel/x509.js";
import * as x509 from "@peculiar/x509";
import * as asn1js from "asn1js";
import { fromHex, toHex } from "../bytes.js";
import { fromBase64Any, utf8 } from "./bytes-util.js";
import { AMD_ROOTS, type AmdProduct } from "./roots.js";

/** The role of a certificate in an AMD chain. */
export type AmdCertRole = "vcek" | "vlek" | "ask" | "asvk" | "ark" | "other";

/** A certificate read from the input, with what the chain needs to know about it. */
export interface AmdCert {
  readonly cert: x509.X509Certificate;
  readonly role: AmdCertRole;
  /** The subject common name (`SEV-VCEK`, `SEV-Milan`, `ARK-Milan` …). */
  readonly cn: string;
  readonly issuerCn: string;
  /** The product its names say (`SEV-Milan`, `ARK-Genoa`, `SEV-VLEK-Turin`; a VCEK's issuer). */
  readonly product?: AmdProduct;
}

/** The VCEK/VLEK extensions (AMD KDS spec, "VCEK certificate extensions"). */
export interface VcekExtensions {
  readonly structVersion?: number;
  /** `Milan-B0`, `Genoa-B1` … */
  readonly productName?: string;
  readonly blSpl?: number;
  readonly teeSpl?: number;
  readonly snpSpl?: number;
  /** spl_4 … spl_7 (`.3.4` … `.3.7`). */
  readonly spl4?: number;
  readonly spl5?: number;
  readonly spl6?: number;
  readonly spl7?: number;
  readonly ucodeSpl?: number;
  /** Turin: the FMC security patch level (`.3.9`). */
  readonly fmcSpl?: number;
  /** The hwID (= the report's chip_id); absent from VLEKs. */
  readonly hwid?: Uint8Array;
}

const OID = "1.3.6.1.4.1.3704.1";

/** The common name (CN) of a distinguished name. */
export function cnOf(name: x509.Name | string): string {
  const text = typeof name === "string" ? name : name.toString();
  const m = /(?:^|,\s*)CN=([^,]+)/.exec(text);
  return m?.[1]?.trim() ?? "";
}

/** The product a certificate name mentions. */
export function productOfName(name: string): AmdProduct | undefined {
  if (/Milan/i.test(name)) return "Milan";
  if (/Genoa/i.test(name)) return "Genoa";
  if (/Turin/i.test(name)) return "Turin";
  return undefined;
}

function roleOf(cert: x509.X509Certificate, cn: string, issuerCn: string): AmdCertRole {
  if (cn === "SEV-VCEK") return "vcek";
  if (cn === "SEV-VLEK") return "vlek";
  if (/^ARK-/.test(cn) && cn === issuerCn) return "ark";
  if (/^SEV-VLEK-/.test(cn)) return "asvk";
  if (/^SEV-/.test(cn) && /^ARK-/.test(issuerCn)) return "ask";
  if (cert.publicKey.algorithm.name === "ECDSA") return "vcek";
  return "other";
}

/** Certificates already read, by their PEM text or DER hex: parsing with @peculiar/x509 is slow (~20 ms). */
const readCache = new Map<string, AmdCert>();
const READ_CACHE_SIZE = 64;

/**
 * Reads one certificate (DER or PEM); undefined with a message when it cannot be read. A
 * certificate is an immutable value, so the result for the same bytes is remembered (the last 64).
 */
export function readCert(raw: Uint8Array | string): { cert?: AmdCert; error?: string } {
  const key = typeof raw === "string" ? raw.trim() : toHex(raw);
  const hit = readCache.get(key);
  if (hit) return { cert: hit };
  const r = parseCert(raw);
  if (r.cert) {
    if (readCache.size >= READ_CACHE_SIZE) readCache.delete(readCache.keys().next().value as string);
    readCache.set(key, r.cert);
  }
  return r;
}

function parseCert(raw: Uint8Array | string): { cert?: AmdCert; error?: string } {
  try {
    const cert = new x509.X509Certificate(typeof raw === "string" ? raw : (raw as Uint8Array<ArrayBuffer>));
    const cn = cnOf(cert.subject);
    const issuerCn = cnOf(cert.issuer);
    const role = roleOf(cert, cn, issuerCn);
    const product = productOfName(role === "vcek" || role === "vlek" ? issuerCn : cn);
    return { cert: { cert, role, cn, issuerCn, ...(product ? { product } : {}) } };
  } catch (e) {
    return { error: e instanceof Error ? e.message.replace(/\s+/g, " ") : "unreadable certificate" };
  }
}

/** The PEM certificate blocks of a text, in order (found with indexOf: linear on any text). */
export function pemBlocks(text: string): string[] {
  return pemCertificates(text);
}

/** The PEM CRL blocks (`X509 CRL` or `CRL`) of a text, in order, found with indexOf. */
export function pemCrlBlocks(text: string): string[] {
  const out: string[] = [];
  for (const label of ["X509 CRL", "CRL"]) {
    const begin = `-----BEGIN ${label}-----`;
    const end = `-----END ${label}-----`;
    let from = 0;
    for (;;) {
      const b = text.indexOf(begin, from);
      if (b < 0) break;
      const e = text.indexOf(end, b + begin.length);
      if (e < 0) break;
      out.push(text.slice(b, e + end.length));
      from = e + end.length;
    }
  }
  return out;
}

/**
 * At most this many certificates (and CRLs) are read from one input: a real chain has 3, and each
 * costs milliseconds to decode, so a hostile bundle of thousands cannot make an appraisal slow.
 */
export const MAX_CERTS = 10;
export const MAX_CRLS = 4;

/** Certificates and CRLs read from collateral or a chain, with one message per failure. */
export interface CertBundle {
  readonly certs: AmdCert[];
  /** AMD KDS CRLs (issued by an ARK; they list revoked ASKs and ASVKs). */
  readonly crls: x509.X509Crl[];
  readonly errors: string[];
}

/**
 * Certificates from collateral or a chain: PEM text (any number of certificates, and `X509 CRL` or
 * `CRL` blocks), one DER certificate or CRL, or the JSON Azure THIM returns (`vcekCert`,
 * `certificateChain`), `{"VcekCertChain": base64url(PEM)}`, with an optional `crl` (PEM, or
 * base64 of the DER that AMD KDS serves at `/vcek/v1/<product>/crl`).
 */
export function readCertBundle(input: Uint8Array | string): CertBundle {
  const certs: AmdCert[] = [];
  const crls: x509.X509Crl[] = [];
  const errors: string[] = [];
  const text = typeof input === "string" ? input : utf8(input);
  const trimmed = text.trim();
  const fromPem = (pem: string) => {
    const blocks = pemBlocks(pem);
    blocks.slice(0, Math.max(0, MAX_CERTS - certs.length)).forEach((b, i) => {
      const r = readCert(b);
      if (r.cert) certs.push(r.cert);
      else errors.push(`PEM certificate ${i + 1}: ${r.error ?? "unreadable"}`);
    });
    if (blocks.length > MAX_CERTS) errors.push(`${blocks.length - MAX_CERTS} certificates after the first ${MAX_CERTS} were not read: an AMD chain has 3`);
    const crlBlocks = pemCrlBlocks(pem);
    crlBlocks.slice(0, MAX_CRLS).forEach((b, i) => {
      const c = readCrl(b);
      if (c) crls.push(c);
      else errors.push(`PEM CRL ${i + 1}: unreadable`);
    });
    if (crlBlocks.length > MAX_CRLS) errors.push(`${crlBlocks.length - MAX_CRLS} CRLs after the first ${MAX_CRLS} were not read`);
    return blocks.length + crlBlocks.length;
  };
  if (trimmed.startsWith("{")) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch {
      errors.push("collateral: not valid JSON");
      return { certs, crls, errors };
    }
    const o = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
    let n = 0;
    for (const key of ["vcekCert", "certificateChain", "vcek", "vlek", "ask", "ark"]) {
      const v = o[key];
      if (typeof v === "string") n += fromPem(v);
    }
    const chain = o["VcekCertChain"];
    if (typeof chain === "string") {
      const d = fromBase64Any(chain);
      if (d) n += fromPem(utf8(d));
      else errors.push("collateral: `VcekCertChain` is not base64url");
    }
    const crl = o["crl"];
    if (typeof crl === "string") {
      const der = crl.includes("-----BEGIN") ? undefined : fromBase64Any(crl);
      const c = der ? readCrl(der) : readCrl(crl);
      if (c) {
        crls.push(c);
        n++;
      } else errors.push("collateral: `crl` is neither a PEM CRL nor base64 of a DER CRL");
    }
    if (n === 0 && errors.length === 0) errors.push("collateral: no certificate found (expected `vcekCert`, `certificateChain` or `VcekCertChain`)");
    return { certs, crls, errors };
  }
  if (/-----BEGIN (?:CERTIFICATE|X509 CRL|CRL)-----/.test(trimmed)) {
    if (fromPem(trimmed) === 0) errors.push("collateral: a PEM `-----BEGIN` line without its `-----END` line");
    return { certs, crls, errors };
  }
  const bytes = typeof input === "string" ? (fromHex(trimmed) ?? fromBase64Any(trimmed)) : input;
  if (!bytes || bytes.length === 0) {
    errors.push("collateral: neither PEM, DER nor JSON");
    return { certs, crls, errors };
  }
  const r = readCert(bytes);
  if (r.cert) certs.push(r.cert);
  else {
    const c = readCrl(bytes);
    if (c) crls.push(c);
    else errors.push(`DER certificate: ${r.error ?? "unreadable"}`);
  }
  return { certs, crls, errors };
}

function asn1Value(raw: ArrayBuffer): number | string | Uint8Array | undefined {
  const parsed = asn1js.fromBER(raw);
  if (parsed.offset === -1) return undefined;
  const v = parsed.result;
  if (v instanceof asn1js.Integer) return v.valueBlock.valueDec;
  if (v instanceof asn1js.IA5String || v instanceof asn1js.Utf8String || v instanceof asn1js.PrintableString) return v.getValue();
  if (v instanceof asn1js.OctetString) return new Uint8Array(v.valueBlock.valueHexView);
  return undefined;
}

/** The VCEK/VLEK extensions of a certificate (none when they cannot be read). */
export function vcekExtensions(cert: x509.X509Certificate): VcekExtensions {
  try {
    return readExtensions(cert);
  } catch {
    return {};
  }
}

function readExtensions(cert: x509.X509Certificate): VcekExtensions {
  const get = (suffix: string) => cert.getExtension(`${OID}.${suffix}`);
  const num = (suffix: string) => {
    const e = get(suffix);
    if (!e) return undefined;
    const v = asn1Value(e.value);
    return typeof v === "number" ? v : undefined;
  };
  const out: { -readonly [K in keyof VcekExtensions]: VcekExtensions[K] } = {};
  const set = <K extends keyof VcekExtensions>(k: K, v: VcekExtensions[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set("structVersion", num("1"));
  const pn = get("2");
  if (pn) {
    const v = asn1Value(pn.value);
    if (typeof v === "string") out.productName = v;
  }
  set("blSpl", num("3.1"));
  set("teeSpl", num("3.2"));
  set("snpSpl", num("3.3"));
  set("spl4", num("3.4"));
  set("spl5", num("3.5"));
  set("spl6", num("3.6"));
  set("spl7", num("3.7"));
  set("ucodeSpl", num("3.8"));
  set("fmcSpl", num("3.9"));
  const hw = get("4");
  if (hw) {
    // The hwID is the raw chip id (64 bytes; 8 on Turin), sometimes wrapped in an OCTET STRING.
    const raw = new Uint8Array(hw.value);
    const wrapped = raw.length >= 2 && raw[0] === 0x04 && raw[1] === raw.length - 2 ? asn1Value(hw.value) : undefined;
    out.hwid = wrapped instanceof Uint8Array ? wrapped : raw;
  }
  return out;
}

/** A pinned root set, read once. */
export interface PinnedRoots {
  readonly product: AmdProduct;
  readonly kind: "vcek" | "vlek";
  readonly intermediate: x509.X509Certificate;
  readonly ark: x509.X509Certificate;
  readonly source: string;
}

const pinned = new Map<string, PinnedRoots>();

/** The pinned roots of one product and kind, parsed on first use. */
export function pinnedRootSet(product: AmdProduct, kind: "vcek" | "vlek"): PinnedRoots | undefined {
  const id = `${product}/${kind}`;
  const hit = pinned.get(id);
  if (hit) return hit;
  const r = AMD_ROOTS.find((x) => x.product === product && x.kind === kind);
  if (!r) return undefined;
  const [inter, ark] = pemBlocks(r.pem).map((p) => new x509.X509Certificate(p));
  const set = { product: r.product, kind: r.kind, intermediate: inter as x509.X509Certificate, ark: ark as x509.X509Certificate, source: r.source };
  pinned.set(id, set);
  return set;
}

/** Every pinned AMD root set (`roots.ts`), parsed. */
export function pinnedRoots(): readonly PinnedRoots[] {
  return AMD_ROOTS.map((r) => pinnedRootSet(r.product, r.kind) as PinnedRoots);
}

/** Each certificate's public key, read once (the library re-parses it on every access). */
const keys = new WeakMap<x509.X509Certificate, x509.PublicKey>();

function publicKeyOf(cert: x509.X509Certificate): x509.PublicKey {
  let k = keys.get(cert);
  if (!k) {
    k = cert.publicKey;
    keys.set(cert, k);
  }
  return k;
}

/** Whether two certificates have the same subject public key (SPKI bytes). */
export function sameKey(a: x509.X509Certificate, b: x509.X509Certificate): boolean {
  try {
    const x = new Uint8Array(publicKeyOf(a).rawData);
    const y = new Uint8Array(publicKeyOf(b).rawData);
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  } catch {
    return false;
  }
}

/** Verifies that `cert` is signed by the key of `issuer` (signature only; validity is a separate step). */
export async function signedBy(cert: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: publicKeyOf(issuer), signatureOnly: true });
  } catch {
    return false;
  }
}

/** The leaf's P-384 key for WebCrypto. */
export async function leafKey(cert: x509.X509Certificate): Promise<CryptoKey> {
  return publicKeyOf(cert).export({ name: "ECDSA", namedCurve: "P-384" }, ["verify"]);
}
