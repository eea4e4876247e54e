/**
 * SEV-SNP verification, one step per check (EVIDENCE.md section 4):
 *
 * 1. `snp.report-signature`: ECDSA P-384/SHA-384 over bytes 0..0x2A0 with the VCEK or VLEK key
 *    (r and s are 72-byte little-endian fields: reversed, 48 bytes each, WebCrypto's r‖s);
 * 2. `snp.signing-key`: `signer_info` names the kind of key supplied (VCEK 0, VLEK 1);
 * 3. `snp.ark-pinned`: the chain ends at the pinned ARK of the VCEK's product (Milan, Genoa,
 *    Turin), compared by public key; a chain without an ARK uses the pinned one;
 * 4. `snp.ask-signature` and 5. `snp.vcek-signature`: ASK (or ASVK) signed by the ARK, VCEK (or
 *    VLEK) signed by the ASK (RSASSA-PSS, SHA-384);
 * 6. `snp.certificate-validity`: every certificate used is valid at `now`;
 * 7. `snp.vcek-tcb`: the VCEK's TCB extensions equal `reported_tcb`;
 * 8. `snp.vcek-hwid`: the VCEK's hwID equals `chip_id` (a VLEK is not bound to a chip);
 * 9. `snp.runtime-data`: `report_data[0:32]` = SHA-256(runtime data);
 * 10. `snp.init-time-data`: `host_data` = SHA-256(init-time data);
 * 11. `snp.revocation`: with an AMD KDS CRL in the collateral, the CRL is signed by the pinned
 *     ARK, current at `now`, and does not list the ASK (or ASVK); without one, not checked.
 */
import { diagnostic, range, type Diagnostic, type DiagnosticCode, type TextRange } from "@maa-policy/core";
import { bytesEqual, isZero, toHex } from "../bytes.js";
import type { VerificationCheck } from "../types.js";
import { digest } from "./bytes-util.js";
import type { X509Certificate, X509Crl } from "@peculiar/x509";
import { crlSignedBy, isRevoked } from "../intel/x509.js";
import { cnOf, leafKey, pinnedRootSet, sameKey, signedBy, vcekExtensions, type AmdCert, type PinnedRoots } from "./certs.js";
import { SNP_SIGNED_SIZE, type SnpReport } from "./report.js";
import type { AmdProduct } from "./roots.js";

/** What the SNP verifier needs. */
export interface SnpVerifyInput {
  readonly report: SnpReport;
  /** Every certificate supplied (the JSON report's `VcekCertChain`, then the collateral). */
  readonly certs: readonly AmdCert[];
  readonly runtimeData?: Uint8Array | undefined;
  readonly initTimeData?: Uint8Array | undefined;
  readonly now: Date;
  /** Absolute offset of the report in the decoded evidence. */
  readonly base?: number;
  /** AMD KDS CRLs from the collateral. */
  readonly crls?: readonly X509Crl[] | undefined;
  /** The trusted roots; default the pinned AMD roots (`pinnedRoots()`). Trust is data: tests pass their own. */
  readonly roots?: readonly PinnedRoots[] | undefined;
}

/** The checks and their diagnostics. */
export interface SnpVerification {
  readonly checks: VerificationCheck[];
  readonly diagnostics: Diagnostic[];
  /** The leaf certificate used, and the product of the chain. */
  readonly leaf?: AmdCert;
  readonly product?: AmdProduct;
}

const TITLES: Readonly<Record<string, string>> = {
  "snp.report-signature": "Report signature by the VCEK or VLEK (ECDSA P-384, SHA-384)",
  "snp.signing-key": "Signing key named by signer_info",
  "snp.ark-pinned": "Chain ends at a pinned AMD root key (ARK)",
  "snp.ask-signature": "ASK (or ASVK) signed by the ARK",
  "snp.vcek-signature": "VCEK (or VLEK) signed by the ASK",
  "snp.certificate-validity": "Certificates valid at the verification time",
  "snp.vcek-tcb": "VCEK TCB extensions match reported_tcb",
  "snp.vcek-hwid": "VCEK hwID matches chip_id",
  "snp.runtime-data": "Runtime data bound by report_data[0:32] = SHA-256",
  "snp.init-time-data": "Init-time data bound by host_data = SHA-256",
  "snp.revocation": "ASK not revoked by the ARK's CRL",
};

const iso = (d: Date) => d.toISOString().replace(/\.000Z$/, "Z");

/** Verifies a decoded report against the certificates supplied. Never throws. */
export async function verifySnp(input: SnpVerifyInput): Promise<SnpVerification> {
  const { report, now } = input;
  const base = input.base ?? 0;
  const checks: VerificationCheck[] = [];
  const diagnostics: Diagnostic[] = [];
  const at = (off: number, size: number): TextRange => range(base + off, base + off + size);
  const sigRange = at(SNP_SIGNED_SIZE, 144);
  const pass = (id: string, detail: string) => checks.push({ id, title: TITLES[id] ?? id, status: "passed", detail });
  const skip = (id: string, detail: string) => checks.push({ id, title: TITLES[id] ?? id, status: "not-checked", detail });
  const fail = (id: string, code: DiagnosticCode, where: TextRange, detail: string) => {
    checks.push({ id, title: TITLES[id] ?? id, status: "failed", detail, code });
    diagnostics.push(diagnostic(code, where, detail));
  };

  // The leaf: the kind signer_info names, else any VCEK/VLEK supplied.
  const wanted = report.signingKey === 1 ? "vlek" : "vcek";
  const leaves = input.certs.filter((c) => c.role === "vcek" || c.role === "vlek");
  const leaf = leaves.find((c) => c.role === wanted) ?? leaves[0];
  if (!leaf) {
    fail("snp.report-signature", "P5216", sigRange, "SEV-SNP report: no VCEK or VLEK certificate supplied (`VcekCertChain`, or `--collateral` with the VCEK PEM or DER): the signature cannot be checked");
    for (const id of ["snp.signing-key", "snp.ark-pinned", "snp.ask-signature", "snp.vcek-signature", "snp.certificate-validity", "snp.vcek-tcb", "snp.vcek-hwid"]) {
      skip(id, "no VCEK or VLEK certificate supplied");
    }
  } else {
    await signatureStep(report, leaf, sigRange, pass, fail);
    const keyName = report.signingKey === 0 ? "VCEK" : report.signingKey === 1 ? "VLEK" : report.signingKey === 7 ? "no key" : `reserved key ${report.signingKey}`;
    if ((report.signingKey === 0 && leaf.role === "vcek") || (report.signingKey === 1 && leaf.role === "vlek")) {
      pass("snp.signing-key", `signer_info names the ${keyName}, and a ${leaf.role.toUpperCase()} was supplied`);
    } else {
      fail("snp.signing-key", "P5218", at(0x048, 4), `SEV-SNP report: \`signer_info\` at offset ${base + 0x48} names the ${keyName}, but the certificate supplied is a ${leaf.role.toUpperCase()}`);
    }
    const chain = await chainSteps(leaf, input.certs, report, now, sigRange, pass, fail, input.roots);
    tcbSteps(report, leaf, base, at, pass, skip, fail);
    await bindingSteps(input, at, pass, skip, fail);
    await revocationStep(chain, input.crls ?? [], now, sigRange, pass, skip, fail);
    const product = chain?.product;
    return { checks, diagnostics, leaf, ...(product ? { product } : {}) };
  }
  await bindingSteps(input, at, pass, skip, fail);
  skip("snp.revocation", "no VCEK or VLEK certificate supplied, so no chain to check for revocation");
  return { checks, diagnostics };
}

type Pass = (id: string, detail: string) => void;
type Fail = (id: string, code: DiagnosticCode, where: TextRange, detail: string) => void;

async function signatureStep(report: SnpReport, leaf: AmdCert, sigRange: TextRange, pass: Pass, fail: Fail): Promise<void> {
  const name = leaf.role.toUpperCase();
  if (!report.signatureR || !report.signatureS) {
    fail("snp.report-signature", "P5208", sigRange, `SEV-SNP report: \`signature\` at offset ${sigRange.start}: r or s does not fit 48 bytes, so it is no P-384 signature`);
    return;
  }
  let ok = false;
  try {
    const key = await leafKey(leaf.cert);
    const sig = new Uint8Array(96);
    sig.set(report.signatureR, 0);
    sig.set(report.signatureS, 48);
    ok = await globalThis.crypto.subtle.verify({ name: "ECDSA", hash: "SHA-384" }, key, sig, report.bytes.subarray(0, SNP_SIGNED_SIZE) as Uint8Array<ArrayBuffer>);
  } catch (e) {
    fail("snp.report-signature", "P5208", sigRange, `SEV-SNP report: the ${name} key is not an ECDSA P-384 key: ${e instanceof Error ? e.message.replace(/\s+/g, " ") : "unusable"}`);
    return;
  }
  if (ok) pass("snp.report-signature", `the signature over bytes 0..0x2a0 verifies with the ${name} key (${leaf.issuerCn})`);
  else fail("snp.report-signature", "P5208", sigRange, `SEV-SNP report: the signature at offset ${sigRange.start} does not verify with the ${name} key over bytes 0..0x2a0: the report was changed or signed by another key`);
}

async function chainSteps(
  leaf: AmdCert,
  certs: readonly AmdCert[],
  report: SnpReport,
  now: Date,
  where: TextRange,
  pass: Pass,
  fail: Fail,
  roots: readonly PinnedRoots[] | undefined,
): Promise<ChainUsed | undefined> {
  const kind = leaf.role === "vlek" ? "vlek" : "vcek";
  const product = leaf.product ?? report.product;
  const set = !product ? undefined : roots ? roots.find((r) => r.product === product && r.kind === kind) : pinnedRootSet(product, kind);
  if (!product || !set) {
    const msg = `SEV-SNP chain: the ${kind.toUpperCase()} issuer \`${leaf.issuerCn}\` names no known AMD product (Milan, Genoa, Turin), so no pinned ARK applies`;
    fail("snp.ark-pinned", "P5209", where, msg);
    fail("snp.ask-signature", "P5209", where, msg);
    fail("snp.vcek-signature", "P5209", where, msg);
    validityStep([leaf], now, where, pass, fail);
    return undefined;
  }
  const arkName = cnOf(set.ark.subject);
  // The ARK: pinned by key. A chain that carries an ARK must carry the pinned one.
  const suppliedArks = certs.filter((c) => c.role === "ark" || (c.role === "other" && c.cert.subject === c.cert.issuer));
  const foreign = suppliedArks.find((c) => !sameKey(c.cert, set.ark));
  if (foreign) {
    fail("snp.ark-pinned", "P5209", where, `SEV-SNP chain: the root \`${foreign.cn}\` supplied is not the pinned ${arkName} key (${set.source})`);
  } else if (suppliedArks.length > 0) {
    pass("snp.ark-pinned", `the chain's ${arkName} has the pinned ${arkName} public key`);
  } else {
    pass("snp.ark-pinned", `the chain carries no ARK: the pinned ${arkName} (${set.source}) is used`);
  }
  // The ASK: the one supplied for this product, else the pinned one.
  const interRole = kind === "vlek" ? "asvk" : "ask";
  const supplied = certs.find((c) => c.role === interRole && c.cert.subject === leaf.cert.issuer) ?? certs.find((c) => c.role === interRole);
  const ask = supplied?.cert ?? set.intermediate;
  const askName = cnOf(ask.subject);
  if (await signedBy(ask, set.ark)) {
    pass("snp.ask-signature", `${askName}${supplied ? "" : " (pinned, not in the chain)"} is signed by the pinned ${arkName} key`);
  } else {
    fail("snp.ask-signature", "P5210", where, `SEV-SNP chain: \`${askName}\` is not signed by the pinned ${arkName} key`);
  }
  if (await signedBy(leaf.cert, ask)) {
    pass("snp.vcek-signature", `the ${kind.toUpperCase()} is signed by ${askName}`);
  } else {
    fail("snp.vcek-signature", "P5210", where, `SEV-SNP chain: the ${kind.toUpperCase()} (issuer \`${leaf.issuerCn}\`) is not signed by \`${askName}\``);
  }
  const used: AmdCert[] = [leaf];
  if (supplied) used.push(supplied);
  for (const a of suppliedArks) used.push(a);
  validityStep(used, now, where, pass, fail, supplied ? [] : [set.intermediate], suppliedArks.length ? [] : [set.ark]);
  return { product, ark: set.ark, ask, arkName, askName };
}

/** The chain a verification used: the product, its pinned ARK and the intermediate. */
interface ChainUsed {
  readonly product: AmdProduct;
  readonly ark: X509Certificate;
  readonly ask: X509Certificate;
  readonly arkName: string;
  readonly askName: string;
}

async function revocationStep(chain: ChainUsed | undefined, crls: readonly X509Crl[], now: Date, where: TextRange, pass: Pass, skip: Pass, fail: Fail): Promise<void> {
  if (crls.length === 0) {
    skip("snp.revocation", `AMD's CRL${chain ? ` for ${chain.product}` : ""} was not supplied (AMD KDS \`/vcek/v1/<product>/crl\`): revocation of the ASK was not checked`);
    return;
  }
  if (!chain) {
    skip("snp.revocation", "no pinned ARK applies to this chain, so the CRL cannot be checked");
    return;
  }
  const crl = crls.find((c) => c.issuer === chain.ark.subject) ?? crls[0];
  if (!crl) return;
  const when = iso(crl.thisUpdate);
  if (!(await crlSignedBy(crl, chain.ark))) {
    fail("snp.revocation", "P5221", where, `SEV-SNP chain: the CRL issued by \`${cnOf(crl.issuer)}\` on ${when} is not signed by the pinned ${chain.arkName} key`);
    return;
  }
  if (crl.nextUpdate && now > crl.nextUpdate) {
    fail("snp.revocation", "P5221", where, `SEV-SNP chain: the ${chain.arkName} CRL of ${when} expired at ${iso(crl.nextUpdate)}, and the verification time is ${iso(now)}: fetch a current one`);
    return;
  }
  if (isRevoked(crl, chain.ask)) {
    fail("snp.revocation", "P5220", where, `SEV-SNP chain: \`${chain.askName}\` (serial ${chain.ask.serialNumber}) is revoked by the ${chain.arkName} CRL of ${when}`);
    return;
  }
  pass("snp.revocation", `the ${chain.arkName} CRL of ${when} (${crl.entries.length} entries) does not list ${chain.askName} (serial ${chain.ask.serialNumber})`);
}

function validityStep(
  used: readonly AmdCert[],
  now: Date,
  where: TextRange,
  pass: Pass,
  fail: Fail,
  pinnedInter: readonly { notBefore: Date; notAfter: Date; subject: string }[] = [],
  pinnedArk: readonly { notBefore: Date; notAfter: Date; subject: string }[] = [],
): void {
  const all = [
    ...used.map((c) => ({ name: c.cn || c.role, notBefore: c.cert.notBefore, notAfter: c.cert.notAfter })),
    ...[...pinnedInter, ...pinnedArk].map((c) => ({ name: cnOf(c.subject), notBefore: c.notBefore, notAfter: c.notAfter })),
  ];
  const bad = all.filter((c) => now < c.notBefore || now > c.notAfter);
  if (bad.length === 0) {
    pass("snp.certificate-validity", `${all.map((c) => `${c.name} (until ${iso(c.notAfter)})`).join(", ")} valid at ${iso(now)}`);
    return;
  }
  const b = bad[0] as (typeof bad)[number];
  const why = now > b.notAfter ? `expired at ${iso(b.notAfter)}` : `not valid before ${iso(b.notBefore)}`;
  fail("snp.certificate-validity", "P5211", where, `SEV-SNP chain: \`${b.name}\` ${why}, and the verification time is ${iso(now)}`);
}

function tcbSteps(
  report: SnpReport,
  leaf: AmdCert,
  base: number,
  at: (off: number, size: number) => TextRange,
  pass: Pass,
  skip: Pass,
  fail: Fail,
): void {
  const ext = vcekExtensions(leaf.cert);
  const t = report.reportedTcb;
  const bytes = report.bytes.subarray(0x180, 0x188);
  const pairs: [string, number | undefined, number][] =
    t.layout === "turin"
      ? [
          ["fmc", ext.fmcSpl, bytes[0] ?? 0],
          ["bootloader", ext.blSpl, bytes[1] ?? 0],
          ["tee", ext.teeSpl, bytes[2] ?? 0],
          ["snp", ext.snpSpl, bytes[3] ?? 0],
          ["microcode", ext.ucodeSpl, bytes[7] ?? 0],
        ]
      : [
          ["bootloader", ext.blSpl, bytes[0] ?? 0],
          ["tee", ext.teeSpl, bytes[1] ?? 0],
          ["spl_4", ext.spl4, bytes[2] ?? 0],
          ["spl_5", ext.spl5, bytes[3] ?? 0],
          ["spl_6", ext.spl6, bytes[4] ?? 0],
          ["spl_7", ext.spl7, bytes[5] ?? 0],
          ["snp", ext.snpSpl, bytes[6] ?? 0],
          ["microcode", ext.ucodeSpl, bytes[7] ?? 0],
        ];
  const present = pairs.filter(([, v]) => v !== undefined);
  const name = leaf.role.toUpperCase();
  if (present.length === 0) {
    skip("snp.vcek-tcb", `the ${name} has no TCB extensions (1.3.6.1.4.1.3704.1.3.*)`);
  } else {
    const diff = present.filter(([, v, r]) => v !== r);
    if (diff.length === 0) {
      pass("snp.vcek-tcb", `${present.map(([n, v]) => `${n} ${v}`).join(", ")} equal reported_tcb ${t.raw} (${t.layout} layout)`);
    } else {
      fail(
        "snp.vcek-tcb",
        "P5212",
        at(0x180, 8),
        `SEV-SNP report: \`reported_tcb\` at offset ${base + 0x180} differs from the ${name}: ${diff.map(([n, v, r]) => `${n} ${r} in the report, ${v} in the certificate`).join("; ")}`,
      );
    }
  }
  if (leaf.role === "vlek") {
    skip("snp.vcek-hwid", "a VLEK is issued to a cloud provider, not to one chip: it carries no hwID");
    return;
  }
  if (report.maskChipKey) {
    skip("snp.vcek-hwid", "signer_info MASK_CHIP_KEY is set: chip_id is zeroed in the report");
    return;
  }
  if (!ext.hwid) {
    skip("snp.vcek-hwid", "the VCEK has no hwID extension (1.3.6.1.4.1.3704.1.4)");
    return;
  }
  const chip = report.chipId;
  const n = ext.hwid.length;
  const ok = n > 0 && n <= chip.length && bytesEqual(chip.subarray(0, n), ext.hwid) && isZero(chip.subarray(n));
  if (ok) pass("snp.vcek-hwid", `hwID ${toHex(ext.hwid).slice(0, 16)}… equals chip_id`);
  else {
    fail("snp.vcek-hwid", "P5213", at(0x1a0, 64), `SEV-SNP report: \`chip_id\` at offset ${base + 0x1a0} (${toHex(chip).slice(0, 16)}…) is not the VCEK's hwID (${toHex(ext.hwid).slice(0, 16)}…): the VCEK was issued for another chip`);
  }
}

async function bindingSteps(
  input: SnpVerifyInput,
  at: (off: number, size: number) => TextRange,
  pass: Pass,
  skip: Pass,
  fail: Fail,
): Promise<void> {
  const { report } = input;
  const base = input.base ?? 0;
  if (input.runtimeData === undefined) {
    skip("snp.runtime-data", "no runtime data supplied: report_data is not bound to anything, and no x-ms-runtime claim is issued");
  } else {
    const h = await digest("SHA-256", input.runtimeData);
    const head = report.reportData.subarray(0, 32);
    const tail = isZero(report.reportData.subarray(32)) ? "report_data[32:64] is zero" : "report_data[32:64] is not zero (not checked by MAA)";
    if (bytesEqual(h, head)) pass("snp.runtime-data", `report_data[0:32] = SHA-256 of the ${input.runtimeData.length} bytes of runtime data; ${tail}`);
    else {
      fail("snp.runtime-data", "P5214", at(0x050, 32), `SEV-SNP report: \`report_data[0:32]\` at offset ${base + 0x50} is ${toHex(head)}, but SHA-256 of the runtime data is ${toHex(h)}`);
    }
  }
  if (input.initTimeData === undefined) {
    skip("snp.init-time-data", "no init-time data supplied: host_data is not bound, and no x-ms-inittime claim is issued");
  } else {
    const h = await digest("SHA-256", input.initTimeData);
    if (bytesEqual(h, report.hostData)) pass("snp.init-time-data", `host_data = SHA-256 of the ${input.initTimeData.length} bytes of init-time data`);
    else {
      fail("snp.init-time-data", "P5215", at(0x0c0, 32), `SEV-SNP report: \`host_data\` at offset ${base + 0xc0} is ${toHex(report.hostData)}, but SHA-256 of the init-time data is ${toHex(h)}`);
    }
  }
}
