/**
 * Test support of the SEV-SNP and HCL suites: the real samples (test/fixtures/evidence), and a
 * test PKI (ARK → ASK → VCEK, RSASSA-PSS/SHA-384 and P-384, like AMD's) that signs reports, so each
 * verification step can be made to fail alone. Trust is data: the test roots are passed in.
 */
import "reflect-metadata";
import { readFileSync } from "node:fs";
import * as x509 from "@peculiar/x509";
import { fromHex } from "../src/bytes.js";
import { readCert, type AmdCert, type PinnedRoots } from "../src/snp/index.js";

const FIXTURES = new URL("../../../test/fixtures/evidence/", import.meta.url);

/** The bytes of a fixture file under test/fixtures/evidence. */
export function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(path, FIXTURES)));
}

/** The text of a fixture file. */
export function fixtureText(path: string): string {
  return readFileSync(new URL(path, FIXTURES), "utf8");
}

/** The SNP samples: name → report bytes, VCEK (DER or PEM chain), runtime data, verification time. */
export const SNP_SAMPLES = {
  "restspec-2022": {
    report: () => fixture("snp/restspec-2022.snp-report.bin"),
    chain: () => fixture("snp/restspec-2022.vcek-chain.pem"),
    runtime: () => fixture("snp/restspec-2022.runtime-data.json"),
  },
  "go-sev-guest": {
    report: () => fixture("snp/go-sev-guest.attestation.bin"),
    chain: () => fixture("snp/go-sev-guest.vcek.der"),
    runtime: () => undefined,
  },
  "virtee-sev": {
    report: () => fromHex(fixtureText("snp/virtee-sev.report_milan.hex").trim()) as Uint8Array,
    chain: () => fixture("snp/virtee-sev.vcek_milan.der"),
    runtime: () => undefined,
  },
  "constellation-azure": {
    report: () => fixture("snp/constellation-azure.attestation.bin").subarray(0, 1184),
    chain: () => fixture("snp/constellation-azure.vcek.der"),
    runtime: () => fixture("snp/constellation-azure.runtime-data.json"),
  },
} as const;

/** A time at which every sample certificate is valid (2024-06-01). */
export const SAMPLE_TIME = new Date("2024-06-01T00:00:00Z");

const RSA_PSS = { name: "RSA-PSS", hash: "SHA-384", saltLength: 48 } as const;
const ECDSA = { name: "ECDSA", hash: "SHA-384" } as const;

/** DER INTEGER of a small value. */
function derInt(v: number): Uint8Array {
  return v < 0x80 ? new Uint8Array([0x02, 0x01, v]) : new Uint8Array([0x02, 0x02, 0x00, v]);
}

/** The TCB extensions and hwID of a test VCEK. */
export interface TestVcekOptions {
  readonly product?: "Milan" | "Genoa" | "Turin";
  readonly kind?: "vcek" | "vlek";
  /** Milan/Genoa: [bl, tee, spl4, spl5, spl6, spl7, snp, ucode]; Turin: [fmc, bl, tee, snp, 0, 0, 0, ucode]. */
  readonly tcb?: readonly number[];
  readonly hwid?: Uint8Array;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** A test PKI: its roots (to pass as `roots`), the leaf certificate and its signing key. */
export interface TestPki {
  readonly roots: PinnedRoots[];
  readonly ark: x509.X509Certificate;
  readonly ask: x509.X509Certificate;
  readonly leaf: x509.X509Certificate;
  readonly leafKey: CryptoKey;
  /** The ARK's private key (it signs CRLs). */
  readonly arkKey: CryptoKey;
  /** The chain as PEM text, leaf first. */
  readonly pem: string;
  readonly leafCert: AmdCert;
}

const newRsaKeys = () =>
  globalThis.crypto.subtle.generateKey({ name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-384" }, true, ["sign", "verify"]);
/** RSA key generation is slow: the ARK and ASK keys are made once per test file and reused by every PKI. */
let rsaPair: Promise<[CryptoKeyPair, CryptoKeyPair]> | undefined;
const rsaKeys = async (which: 0 | 1) => (await (rsaPair ??= Promise.all([newRsaKeys(), newRsaKeys()])))[which];

/** Makes an ARK → ASK (or ASVK) → VCEK (or VLEK) chain with AMD's names and extensions. */
export async function makePki(o: TestVcekOptions = {}): Promise<TestPki> {
  const product = o.product ?? "Milan";
  const kind = o.kind ?? "vcek";
  const notBefore = o.notBefore ?? new Date("2020-01-01T00:00:00Z");
  const notAfter = o.notAfter ?? new Date("2040-01-01T00:00:00Z");
  const dn = (cn: string) => `CN=${cn}, O=Advanced Micro Devices, OU=Engineering (test)`;
  const arkKeys = await rsaKeys(0);
  const askKeys = await rsaKeys(1);
  const ark = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: "0100", name: dn(`ARK-${product}`), notBefore, notAfter, keys: arkKeys, signingAlgorithm: RSA_PSS });
  const interCn = kind === "vlek" ? `SEV-VLEK-${product}` : `SEV-${product}`;
  const ask = await x509.X509CertificateGenerator.create({ serialNumber: "0101", subject: dn(interCn), issuer: ark.subject, notBefore, notAfter, publicKey: askKeys.publicKey, signingKey: arkKeys.privateKey, signingAlgorithm: RSA_PSS });
  const leafKeys = await globalThis.crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, ["sign", "verify"]);
  const tcb = o.tcb ?? [3, 0, 0, 0, 0, 0, 8, 115];
  const oid = "1.3.6.1.4.1.3704.1";
  const ext = (suffix: string, value: Uint8Array) => new x509.Extension(`${oid}.${suffix}`, false, value as Uint8Array<ArrayBuffer>);
  const extensions: x509.Extension[] = [ext("1", derInt(1)), ext("2", new Uint8Array([0x16, 8, ...new TextEncoder().encode(`${product}-B0`.padEnd(8, " ").slice(0, 8))]))];
  if (product === "Turin") {
    extensions.push(ext("3.9", derInt(tcb[0] ?? 0)), ext("3.1", derInt(tcb[1] ?? 0)), ext("3.2", derInt(tcb[2] ?? 0)), ext("3.3", derInt(tcb[3] ?? 0)), ext("3.8", derInt(tcb[7] ?? 0)));
  } else {
    extensions.push(
      ext("3.1", derInt(tcb[0] ?? 0)),
      ext("3.2", derInt(tcb[1] ?? 0)),
      ext("3.4", derInt(tcb[2] ?? 0)),
      ext("3.5", derInt(tcb[3] ?? 0)),
      ext("3.6", derInt(tcb[4] ?? 0)),
      ext("3.7", derInt(tcb[5] ?? 0)),
      ext("3.3", derInt(tcb[6] ?? 0)),
      ext("3.8", derInt(tcb[7] ?? 0)),
    );
  }
  if (kind === "vcek") extensions.push(ext("4", o.hwid ?? new Uint8Array(64).fill(0xab)));
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: "00",
    subject: dn(kind === "vlek" ? "SEV-VLEK" : "SEV-VCEK"),
    issuer: ask.subject,
    notBefore,
    notAfter,
    publicKey: leafKeys.publicKey,
    signingKey: askKeys.privateKey,
    signingAlgorithm: RSA_PSS,
    extensions,
  });
  const pem = [leaf, ask, ark].map((c) => c.toString("pem")).join("\n");
  const leafCert = readCert(leaf.toString("pem")).cert as AmdCert;
  return { roots: [{ product, kind, intermediate: ask, ark, source: "test PKI" }], ark, ask, leaf, leafKey: leafKeys.privateKey, arkKey: arkKeys.privateKey, pem, leafCert };
}

/** A CRL issued by `pki`'s ARK (or signed by `signingKey`), revoking `serials`, as PEM. */
export async function makeCrl(pki: TestPki, o: { serials?: readonly string[]; nextUpdate?: Date; signingKey?: CryptoKey } = {}): Promise<string> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: pki.ark.subject,
    thisUpdate: new Date("2022-01-01T00:00:00Z"),
    nextUpdate: o.nextUpdate ?? new Date("2030-01-01T00:00:00Z"),
    entries: (o.serials ?? []).map((serialNumber) => ({ serialNumber, revocationDate: new Date("2022-01-01T00:00:00Z") })),
    signingKey: o.signingKey ?? pki.arkKey,
    signingAlgorithm: RSA_PSS,
  });
  return crl.toString("pem");
}

/** Signs `report` (a copy is returned) with `key`: r and s as 72-byte little-endian fields at 0x2A0. */
export async function signReport(report: Uint8Array, key: CryptoKey): Promise<Uint8Array> {
  const out = new Uint8Array(report.subarray(0, 1184));
  const sig = new Uint8Array(await globalThis.crypto.subtle.sign(ECDSA, key, out.subarray(0, 0x2a0)));
  out.fill(0, 0x2a0);
  for (let i = 0; i < 48; i++) {
    out[0x2a0 + i] = sig[47 - i] as number;
    out[0x2e8 + i] = sig[95 - i] as number;
  }
  return out;
}

/** A copy of `report` with `bytes` written at `offset`. */
export function patch(report: Uint8Array, offset: number, bytes: readonly number[] | Uint8Array): Uint8Array {
  const out = new Uint8Array(report);
  out.set(bytes, offset);
  return out;
}

/** SHA-256 of bytes. */
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
}

/** JSON text of a value with bigints as decimal strings, two-space indented, newline-terminated. */
export function goldenJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
}
