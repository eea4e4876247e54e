/**
 * The SEV-SNP certificates: the VCEK (or VLEK) that signs the report, the ASK (or ASVK) that signs
 * it, and the ARK, AMD's self-signed root for the product. Read with `@peculiar/x509` (RSASSA-PSS
 * with SHA-384 for the AMD certificates; a VCEK's serial number is 0), and the VCEK extensions
 * (OID 1.3.6.1.4.1.3704.1.*: product name, the TCB security patch levels, hwID) with `asn1js`.
 */
// The Reflect metadata polyfill @peculiar/x509 needs: loaded by this module (listed in package.json `sideEffects`).
import "../intel/x509.js";
import * as x509 from "@peculiar/x509";
import * as asn1js from "asn1js";
import { fromHex } from "../bytes.js";
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

function cnOf(name: x509.Name | string): string {
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

/** Reads one certificate (DER or PEM); undefined with a message when it cannot be read. */
export function readCert(raw: Uint8Array | string): { cert?: AmdCert; error?: string } {
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

/** The PEM blocks of a text. */
export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * Certificates from collateral or a chain: PEM text (any number of certificates), one DER
 * certificate, or the JSON Azure THIM returns (`vcekCert`, `certificateChain`) or
 * `{"VcekCertChain": base64url(PEM)}`. Returns the certificates read and one message per failure.
 */
export function readCertBundle(input: Uint8Array | string): { certs: AmdCert[]; errors: string[] } {
  const certs: AmdCert[] = [];
  const errors: string[] = [];
  const text = typeof input === "string" ? input : utf8(input);
  const trimmed = text.trim();
  const fromPem = (pem: string) => {
    const blocks = pemBlocks(pem);
    blocks.forEach((b, i) => {
      const r = readCert(b);
      if (r.cert) certs.push(r.cert);
      else errors.push(`PEM certificate ${i + 1}: ${r.error ?? "unreadable"}`);
    });
    return blocks.length;
  };
  if (trimmed.startsWith("{")) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch {
      errors.push("collateral: not valid JSON");
      return { certs, errors };
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
    if (n === 0 && errors.length === 0) errors.push("collateral: no certificate found (expected `vcekCert`, `certificateChain` or `VcekCertChain`)");
    return { certs, errors };
  }
  if (trimmed.includes("-----BEGIN CERTIFICATE-----")) {
    fromPem(trimmed);
    return { certs, errors };
  }
  const bytes = typeof input === "string" ? (fromHex(trimmed) ?? fromBase64Any(trimmed)) : input;
  if (!bytes || bytes.length === 0) {
    errors.push("collateral: neither PEM, DER nor JSON");
    return { certs, errors };
  }
  const r = readCert(bytes);
  if (r.cert) certs.push(r.cert);
  else errors.push(`DER certificate: ${r.error ?? "unreadable"}`);
  return { certs, errors };
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

/** The VCEK/VLEK extensions of a certificate. */
export function vcekExtensions(cert: x509.X509Certificate): VcekExtensions {
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

let pinned: PinnedRoots[] | undefined;

/** The pinned AMD roots (`roots.ts`), parsed. */
export function pinnedRoots(): readonly PinnedRoots[] {
  if (pinned) return pinned;
  pinned = AMD_ROOTS.map((r) => {
    const [inter, ark] = pemBlocks(r.pem).map((p) => new x509.X509Certificate(p));
    return { product: r.product, kind: r.kind, intermediate: inter as x509.X509Certificate, ark: ark as x509.X509Certificate, source: r.source };
  });
  return pinned;
}

/** Whether two certificates have the same subject public key (SPKI bytes). */
export function sameKey(a: x509.X509Certificate, b: x509.X509Certificate): boolean {
  const x = new Uint8Array(a.publicKey.rawData);
  const y = new Uint8Array(b.publicKey.rawData);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Verifies that `cert` is signed by the key of `issuer` (signature only; validity is a separate step). */
export async function signedBy(cert: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}
