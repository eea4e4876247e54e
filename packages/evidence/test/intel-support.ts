/**
 * Support for the Intel evidence tests: the real samples (test/fixtures/evidence, copied byte for
 * byte from /work/shared/evidence; see its README), their verification times, and a builder of
 * synthetic SGX quotes signed by a test PKI (root, PCK CA, PCK leaf, attestation key), so that
 * tests can exercise revocation with CRLs they can sign and chains with a foreign root.
 */
import "reflect-metadata";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as x509 from "@peculiar/x509";
import * as asn1js from "asn1js";
import { concatBytes, toHex } from "../src/bytes.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const FIXTURES = path.join(ROOT, "test", "fixtures", "evidence");
export const GOLDEN = path.join(ROOT, "packages", "evidence", "test", "golden", "intel");

/** A fixture's bytes. */
export function fixture(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES, rel)));
}

export function fixtureText(rel: string): string {
  return readFileSync(path.join(FIXTURES, rel), "utf8");
}

/** The Intel samples, with a time at which their certificates (and collateral) are valid. */
export const INTEL_SAMPLES = {
  "sgx/azsdk-debug.sgx-quote.bin": { type: "SgxEnclave", at: "2021-04-17T00:00:00Z" },
  "sgx/azsdk-debug.oe-report.bin": { type: "OpenEnclave", at: "2021-04-17T00:00:00Z" },
  "sgx/azsdk-nondebug.oe-report.bin": { type: "OpenEnclave", at: "2021-04-17T00:00:00Z" },
  "sgx/restspec-2020.sgx-quote.bin": { type: "SgxEnclave", at: "2020-12-01T00:00:00Z" },
  "sgx/phala.sgx-quote.bin": { type: "SgxEnclave", at: "2025-06-25T00:00:00Z" },
  "tdx/go-tdx-guest.tdx_prod_quote_SPR_E4.dat": { type: "TdxVm", at: "2023-06-20T00:00:00Z" },
  "tdx/go-tdx-guest.quote_v5_sample.dat": { type: "TdxVm", at: "2026-02-01T00:00:00Z" },
  "tdx/phala.tdx-quote-v4.bin": { type: "TdxVm", at: "2025-06-25T00:00:00Z" },
  "tdx/phala.tdx-quote-v5-outdated.bin": { type: "TdxVm", at: "2026-02-20T00:00:00Z" },
} as const;

export type IntelSample = keyof typeof INTEL_SAMPLES;

const ALG = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGN = { name: "ECDSA", hash: "SHA-256" } as const;

async function keyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
}

/** The SGX extension of a PCK certificate: PPID, TCB (16 components, PCESVN, CPUSVN), PCE ID, FMSPC, SGX type. */
function sgxExtension(fmspc: string, comps: readonly number[], pceSvn: number): x509.Extension {
  const oid = (s: string) => new asn1js.ObjectIdentifier({ value: `1.2.840.113741.1.13.1${s}` });
  const pair = (s: string, v: asn1js.BaseBlock) => new asn1js.Sequence({ value: [oid(s), v] });
  const octets = (hex: string) => new asn1js.OctetString({ valueHex: Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)).buffer });
  const tcb = new asn1js.Sequence({
    value: [
      ...comps.map((c, i) => pair(`.2.${i + 1}`, new asn1js.Integer({ value: c }))),
      pair(".2.17", new asn1js.Integer({ value: pceSvn })),
      pair(".2.18", octets(comps.map((c) => c.toString(16).padStart(2, "0")).join(""))),
    ],
  });
  const ext = new asn1js.Sequence({
    value: [pair(".1", octets("00112233445566778899aabbccddeeff")), pair(".2", tcb), pair(".3", octets("0000")), pair(".4", octets(fmspc)), pair(".5", new asn1js.Enumerated({ value: 0 }))],
  });
  return new x509.Extension("1.2.840.113741.1.13.1", false, ext.toBER());
}

/** A test PKI shaped like Intel's: root → PCK Processor CA → PCK leaf, plus a TCB signing certificate. */
export interface TestPki {
  readonly root: x509.X509Certificate;
  readonly rootKeys: CryptoKeyPair;
  readonly ca: x509.X509Certificate;
  readonly caKeys: CryptoKeyPair;
  readonly leaf: x509.X509Certificate;
  readonly leafKeys: CryptoKeyPair;
  readonly rootSpki: string;
}

export async function makePki(options: { leafNotAfter?: Date; fmspc?: string; comps?: readonly number[]; pceSvn?: number } = {}): Promise<TestPki> {
  const rootKeys = await keyPair();
  const caKeys = await keyPair();
  const leafKeys = await keyPair();
  const notBefore = new Date("2020-01-01T00:00:00Z");
  const notAfter = new Date("2040-01-01T00:00:00Z");
  const root = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: "01", name: "CN=Test SGX Root CA", notBefore, notAfter, keys: rootKeys, signingAlgorithm: SIGN });
  const ca = await x509.X509CertificateGenerator.create({ serialNumber: "02", subject: "CN=Test SGX PCK Processor CA", issuer: root.subject, notBefore, notAfter, publicKey: caKeys.publicKey, signingKey: rootKeys.privateKey, signingAlgorithm: SIGN });
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: "0a0b0c",
    subject: "CN=Test SGX PCK Certificate",
    issuer: ca.subject,
    notBefore,
    notAfter: options.leafNotAfter ?? notAfter,
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: SIGN,
    extensions: [sgxExtension(options.fmspc ?? "00a067110000", options.comps ?? [3, 3, 2, 2, 4, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0], options.pceSvn ?? 13)],
  });
  return { root, rootKeys, ca, caKeys, leaf, leafKeys, rootSpki: toHex(new Uint8Array(root.publicKey.rawData)) };
}

/** A CRL issued by `issuer` revoking `serials`. */
export async function makeCrl(issuer: x509.X509Certificate, keys: CryptoKeyPair, serials: readonly string[]): Promise<string> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.subject,
    thisUpdate: new Date("2021-01-01T00:00:00Z"),
    nextUpdate: new Date("2039-01-01T00:00:00Z"),
    entries: serials.map((serialNumber) => ({ serialNumber, revocationDate: new Date("2021-01-02T00:00:00Z") })),
    signingAlgorithm: SIGN,
    signingKey: keys.privateKey,
  });
  return toHex(new Uint8Array(crl.rawData));
}

async function sign(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign(SIGN, key, data.slice()));
}

const u16 = (n: number) => new Uint8Array([n & 0xff, n >> 8]);
const u32 = (n: number) => new Uint8Array([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24]);

/**
 * An SGX quote v3 with the header and body of `template` (a real quote), signed by a fresh
 * attestation key whose QE report is signed by the PCK leaf of `pki`.
 */
export async function makeSgxQuote(template: Uint8Array, pki: TestPki, chain: readonly x509.X509Certificate[] = [pki.leaf, pki.ca, pki.root]): Promise<Uint8Array> {
  const signed = template.slice(0, 432);
  const att = await keyPair();
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", att.publicKey)).subarray(1);
  const sig = await sign(att.privateKey, signed);
  const auth = Uint8Array.from({ length: 32 }, (_, i) => i);
  const qe = template.slice(436 + 128, 436 + 128 + 384);
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", concatBytes(raw, auth)));
  qe.set(h, 320);
  qe.fill(0, 352, 384);
  const qeSig = await sign(pki.leafKeys.privateKey, qe);
  const pem = new TextEncoder().encode(chain.map((c) => c.toString("pem")).join("\n") + "\n\0");
  const sigData = concatBytes(sig, raw, qe, qeSig, u16(auth.length), auth, u16(5), u32(pem.length), pem);
  return concatBytes(signed, u32(sigData.length), sigData);
}
