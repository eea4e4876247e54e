/**
 * The AMD SEV-SNP ATTESTATION_REPORT (0x4A0 = 1184 bytes, versions 1 to 5) decoded field by field
 * (AMD SEV-SNP ABI; google/go-sev-guest `abi/abi.go`; virtee/sev `snp.rs`).
 *
 * Every field of EVIDENCE.md section 1.3 comes out, with the guest policy, platform info and signer
 * info bits named, and each TCB_VERSION in the layout of its product: Milan and Genoa
 * (`[0]` boot loader, `[1]` TEE, `[2..5]` reserved, `[6]` SNP, `[7]` microcode) or Turin (`[0]` FMC,
 * `[1]` boot loader, `[2]` TEE, `[3]` SNP, `[7]` microcode). The product comes from the CPUID fields
 * of a v3+ report, else from the caller (the VCEK's issuer), else Milan/Genoa is assumed.
 */
import type { Diagnostic } from "@maa-policy/core";
import { ByteReader, isZero, toHex } from "../bytes.js";
import type { Fields, FieldValue, ParseResult } from "../types.js";
import { bitOf, hex64 } from "./bytes-util.js";
import type { AmdProduct } from "./roots.js";

/** The size of an ATTESTATION_REPORT. */
export const SNP_REPORT_SIZE = 0x4a0;
/** The signed region is bytes `[0, SNP_SIGNED_SIZE)`. */
export const SNP_SIGNED_SIZE = 0x2a0;
/** The oldest and newest report versions this parser knows. */
export const SNP_MIN_VERSION = 1;
export const SNP_MAX_VERSION = 5;

/** A decoded TCB_VERSION. */
export interface SnpTcb {
  /** The 8 bytes as they are in the report (hex). */
  readonly raw: string;
  readonly layout: "milan-genoa" | "turin";
  /** Turin only. */
  readonly fmc?: number;
  readonly bootloader: number;
  readonly tee: number;
  readonly snp: number;
  readonly microcode: number;
}

/** The decoded report: the fields the verifier and the claim mapper use, plus every field for display. */
export interface SnpReport {
  /** The 1184 bytes of the report (a view). */
  readonly bytes: Uint8Array;
  readonly version: number;
  readonly guestSvn: number;
  readonly policy: number | bigint;
  readonly familyId: string;
  readonly imageId: string;
  readonly vmpl: number;
  readonly signatureAlgo: number;
  readonly currentTcb: SnpTcb;
  readonly platformInfo: number | bigint;
  /** Bits 2-4 of `signer_info`: 0 VCEK, 1 VLEK, 7 none. */
  readonly signingKey: number;
  readonly maskChipKey: boolean;
  readonly reportData: Uint8Array;
  readonly measurement: string;
  readonly hostData: Uint8Array;
  readonly idKeyDigest: string;
  readonly authorKeyDigest: string;
  readonly reportId: string;
  readonly reportIdMa: string;
  readonly reportedTcb: SnpTcb;
  readonly chipId: Uint8Array;
  readonly committedTcb: SnpTcb;
  readonly launchTcb: SnpTcb;
  /** The product whose layouts were used, and where that came from. */
  readonly product: AmdProduct | undefined;
  readonly productSource: "cpuid" | "certificate" | "assumed";
  /** r and s as big-endian 48-byte P-384 scalars, or undefined when the 72-byte fields overflow 48 bytes. */
  readonly signatureR?: Uint8Array;
  readonly signatureS?: Uint8Array;
  /** Every field, for display (EVIDENCE.md section 1.3 names). */
  readonly fields: Fields;
}

/** Options of `parseSnpReport`. */
export interface SnpParseOptions {
  /** The product named by the VCEK/VLEK chain, used when the report (v1, v2) has no CPUID fields. */
  readonly product?: AmdProduct;
  /** Absolute offset of the report in the decoded evidence (an HCL report puts it at 32). */
  readonly base?: number;
  /** Whether bytes after the 1184 are expected (an HCL wrapper): no P5203. */
  readonly allowTrailing?: boolean;
}

/** Names of the guest policy bits (AMD SEV-SNP ABI, go-sev-guest `abi.go`). */
const POLICY_BITS: readonly (readonly [number, string])[] = [
  [16, "smt"],
  [17, "reserved_must_be_one"],
  [18, "migrate_ma"],
  [19, "debug"],
  [20, "single_socket"],
  [21, "cxl_allow"],
  [22, "mem_aes_256_xts"],
  [23, "rapl_dis"],
  [24, "ciphertext_hiding_dram"],
  [25, "page_swap_disable"],
];

/** Names of the platform info bits (virtee `PlatformInfo`). */
const PLATFORM_BITS: readonly (readonly [number, string])[] = [
  [0, "smt_en"],
  [1, "tsme_en"],
  [2, "ecc_en"],
  [3, "rapl_dis"],
  [4, "ciphertext_hiding_en"],
  [5, "alias_check_complete"],
];

/** The reserved (must-be-zero) ranges of a report of `version`, as [offset, size, field]. */
function reservedRanges(version: number): (readonly [number, number, string])[] {
  const out: (readonly [number, number, string])[] = [[0x04c, 4, "reserved0"]];
  if (version >= 3) out.push([0x18b, 0x1a0 - 0x18b, "reserved1"]);
  else out.push([0x188, 0x1a0 - 0x188, "reserved1"]);
  if (version >= 2) {
    out.push([0x1eb, 1, "reserved2"], [0x1ef, 1, "reserved3"]);
    out.push(version >= 5 ? [0x208, 0x2a0 - 0x208, "reserved4"] : [0x1f8, 0x2a0 - 0x1f8, "reserved4"]);
  } else out.push([0x1e0, 0x2a0 - 0x1e0, "reserved2"]);
  return out;
}

/** The product of a CPUID family/model (v3+ reports), as go-sev-guest's `abi.ProductName` reads it. */
export function productOfCpuid(family: number, model: number): AmdProduct | undefined {
  if (family === 0x19) {
    if (model <= 0x0f) return "Milan";
    if (model >= 0x10 && model <= 0x1f) return "Genoa";
    if (model >= 0xa0 && model <= 0xaf) return "Genoa";
    return undefined;
  }
  if (family === 0x1a && model <= 0x11) return "Turin";
  return undefined;
}

/** Decodes a TCB_VERSION in the layout of `product`. */
export function decodeTcb(b: Uint8Array, product: AmdProduct | undefined): SnpTcb {
  const at = (i: number) => b[i] ?? 0;
  if (product === "Turin") {
    return { raw: toHex(b), layout: "turin", fmc: at(0), bootloader: at(1), tee: at(2), snp: at(3), microcode: at(7) };
  }
  return { raw: toHex(b), layout: "milan-genoa", bootloader: at(0), tee: at(1), snp: at(6), microcode: at(7) };
}

function tcbFields(t: SnpTcb): Fields {
  const f: Record<string, FieldValue> = { raw: t.raw, layout: t.layout };
  if (t.fmc !== undefined) f["fmc"] = t.fmc;
  f["bootloader"] = t.bootloader;
  f["tee"] = t.tee;
  f["snp"] = t.snp;
  f["microcode"] = t.microcode;
  return f;
}

function bitsFields(value: number | bigint, bits: readonly (readonly [number, string])[]): Record<string, FieldValue> {
  const f: Record<string, FieldValue> = { value: hex64(value) };
  for (const [bit, name] of bits) f[name] = bitOf(value, bit);
  return f;
}

/** A 72-byte little-endian scalar as a 48-byte big-endian P-384 scalar, or undefined when it overflows. */
function scalar(le: Uint8Array): Uint8Array | undefined {
  for (let i = 48; i < le.length; i++) if (le[i] !== 0) return undefined;
  const out = new Uint8Array(48);
  for (let i = 0; i < 48; i++) out[i] = le[47 - i] ?? 0;
  return out;
}

/** The fields in layout order: [offset, size, name]; the first one that does not fit is reported. */
const LAYOUT: readonly (readonly [number, number, string])[] = [
  [0x000, 4, "version"],
  [0x004, 4, "guest_svn"],
  [0x008, 8, "policy"],
  [0x010, 16, "family_id"],
  [0x020, 16, "image_id"],
  [0x030, 4, "vmpl"],
  [0x034, 4, "signature_algo"],
  [0x038, 8, "current_tcb"],
  [0x040, 8, "platform_info"],
  [0x048, 4, "signer_info"],
  [0x04c, 4, "reserved0"],
  [0x050, 64, "report_data"],
  [0x090, 48, "measurement"],
  [0x0c0, 32, "host_data"],
  [0x0e0, 48, "id_key_digest"],
  [0x110, 48, "author_key_digest"],
  [0x140, 32, "report_id"],
  [0x160, 32, "report_id_ma"],
  [0x180, 8, "reported_tcb"],
  [0x188, 24, "cpuid_fam_id/cpuid_mod_id/cpuid_step/reserved1"],
  [0x1a0, 64, "chip_id"],
  [0x1e0, 8, "committed_tcb"],
  [0x1e8, 4, "current_build/current_minor/current_major"],
  [0x1ec, 4, "committed_build/committed_minor/committed_major"],
  [0x1f0, 8, "launch_tcb"],
  [0x1f8, 16, "launch_mit_vector/current_mit_vector"],
  [0x208, 0x2a0 - 0x208, "reserved4"],
  [0x2a0, 72, "signature.r"],
  [0x2e8, 72, "signature.s"],
  [0x330, SNP_REPORT_SIZE - 0x330, "signature.reserved"],
];

/**
 * Decodes an ATTESTATION_REPORT. Never throws: a short input gets P5001 naming the first field
 * that does not fit (and no value), an unknown version P5202, a signature algorithm other than
 * ECDSA P-384 P5204, non-zero reserved bytes P5205, bytes after the report P5203.
 */
export function parseSnpReport(input: Uint8Array, options: SnpParseOptions = {}): ParseResult<SnpReport> {
  const base = options.base ?? 0;
  const r = new ByteReader(input, "SEV-SNP report", base);
  const diagnostics: Diagnostic[] = r.diagnostics;
  if (input.length < SNP_REPORT_SIZE) {
    const missing = LAYOUT.find(([off, size]) => off + size > input.length) ?? LAYOUT[0];
    if (missing) r.need(missing[0], missing[1], missing[2]);
    return { diagnostics };
  }
  const b = input.subarray(0, SNP_REPORT_SIZE);
  if (input.length > SNP_REPORT_SIZE && options.allowTrailing !== true) {
    r.report("P5203", SNP_REPORT_SIZE, input.length - SNP_REPORT_SIZE, `SEV-SNP report: ${input.length - SNP_REPORT_SIZE} bytes after the report at offset ${base + SNP_REPORT_SIZE} are not part of it`);
  }
  const u32 = (off: number, f: string) => r.u32(off, f) ?? 0;
  const u64 = (off: number, f: string) => r.u64(off, f) ?? 0;
  const bytes = (off: number, size: number) => b.subarray(off, off + size);
  const hex = (off: number, size: number) => toHex(bytes(off, size));

  const version = u32(0x000, "version");
  if (version < SNP_MIN_VERSION || version > SNP_MAX_VERSION) {
    r.report("P5202", 0x000, 4, `SEV-SNP report: \`version\` at offset ${base} is ${version}: versions ${SNP_MIN_VERSION} to ${SNP_MAX_VERSION} are known`);
  }
  const signatureAlgo = u32(0x034, "signature_algo");
  if (signatureAlgo !== 1) {
    r.report("P5204", 0x034, 4, `SEV-SNP report: \`signature_algo\` at offset ${base + 0x34} is ${signatureAlgo}: only 1 (ECDSA P-384 with SHA-384) is defined`);
  }
  const policy = u64(0x008, "policy");
  if (!bitOf(policy, 17)) {
    r.report("P5219", 0x008, 8, `SEV-SNP report: \`policy\` at offset ${base + 8} has bit 17 clear: the ABI requires it to be one`);
  }
  for (const [off, size, field] of reservedRanges(version)) {
    if (!isZero(bytes(off, size))) {
      r.report("P5205", off, size, `SEV-SNP report: reserved field \`${field}\` at offset ${base + off} (${size} bytes) is not zero`);
    }
  }

  const cpuid = version >= 3 ? { family: b[0x188] ?? 0, model: b[0x189] ?? 0, stepping: b[0x18a] ?? 0 } : undefined;
  const fromCpuid = cpuid ? productOfCpuid(cpuid.family, cpuid.model) : undefined;
  const product = fromCpuid ?? options.product;
  const productSource = fromCpuid ? "cpuid" : options.product ? "certificate" : "assumed";

  const currentTcb = decodeTcb(bytes(0x038, 8), product);
  const reportedTcb = decodeTcb(bytes(0x180, 8), product);
  const committedTcb = decodeTcb(bytes(0x1e0, 8), product);
  const launchTcb = decodeTcb(bytes(0x1f0, 8), product);
  const platformInfo = u64(0x040, "platform_info");
  const signerInfo = u32(0x048, "signer_info");
  const signingKey = (signerInfo >> 2) & 7;
  const sigR = scalar(bytes(0x2a0, 72));
  const sigS = scalar(bytes(0x2e8, 72));

  const fields: Record<string, FieldValue> = {
    format: "sev-snp-attestation-report",
    version,
    guest_svn: u32(0x004, "guest_svn"),
    policy: {
      ...bitsFields(policy, POLICY_BITS),
      abi_minor: b[0x008] ?? 0,
      abi_major: b[0x009] ?? 0,
    },
    family_id: hex(0x010, 16),
    image_id: hex(0x020, 16),
    vmpl: u32(0x030, "vmpl"),
    signature_algo: signatureAlgo,
    current_tcb: tcbFields(currentTcb),
    platform_info: bitsFields(platformInfo, PLATFORM_BITS),
    signer_info: {
      value: `0x${signerInfo.toString(16).padStart(8, "0")}`,
      author_key_en: (signerInfo & 1) === 1,
      mask_chip_key: (signerInfo & 2) === 2,
      signing_key: signingKey === 0 ? "vcek" : signingKey === 1 ? "vlek" : signingKey === 7 ? "none" : `reserved (${signingKey})`,
    },
    report_data: hex(0x050, 64),
    measurement: hex(0x090, 48),
    host_data: hex(0x0c0, 32),
    id_key_digest: hex(0x0e0, 48),
    author_key_digest: hex(0x110, 48),
    report_id: hex(0x140, 32),
    report_id_ma: hex(0x160, 32),
    reported_tcb: tcbFields(reportedTcb),
  };
  if (cpuid) {
    fields["cpuid_fam_id"] = cpuid.family;
    fields["cpuid_mod_id"] = cpuid.model;
    fields["cpuid_step"] = cpuid.stepping;
  }
  fields["chip_id"] = hex(0x1a0, 64);
  if (version >= 2) {
    fields["committed_tcb"] = tcbFields(committedTcb);
    fields["current_build"] = b[0x1e8] ?? 0;
    fields["current_minor"] = b[0x1e9] ?? 0;
    fields["current_major"] = b[0x1ea] ?? 0;
    fields["committed_build"] = b[0x1ec] ?? 0;
    fields["committed_minor"] = b[0x1ed] ?? 0;
    fields["committed_major"] = b[0x1ee] ?? 0;
    fields["launch_tcb"] = tcbFields(launchTcb);
  }
  if (version >= 5) {
    fields["launch_mit_vector"] = hex64(u64(0x1f8, "launch_mit_vector"));
    fields["current_mit_vector"] = hex64(u64(0x200, "current_mit_vector"));
  }
  fields["signature"] = { r: hex(0x2a0, 72), s: hex(0x2e8, 72) };
  fields["product"] = product ?? null;
  fields["product_source"] = productSource;

  const value: SnpReport = {
    bytes: b,
    version,
    guestSvn: u32(0x004, "guest_svn"),
    policy,
    familyId: hex(0x010, 16),
    imageId: hex(0x020, 16),
    vmpl: u32(0x030, "vmpl"),
    signatureAlgo,
    currentTcb,
    platformInfo,
    signingKey,
    maskChipKey: (signerInfo & 2) === 2,
    reportData: bytes(0x050, 64),
    measurement: hex(0x090, 48),
    hostData: bytes(0x0c0, 32),
    idKeyDigest: hex(0x0e0, 48),
    authorKeyDigest: hex(0x110, 48),
    reportId: hex(0x140, 32),
    reportIdMa: hex(0x160, 32),
    reportedTcb,
    chipId: bytes(0x1a0, 64),
    committedTcb,
    launchTcb,
    product,
    productSource,
    ...(sigR ? { signatureR: sigR } : {}),
    ...(sigS ? { signatureS: sigS } : {}),
    fields,
  };
  return { value, diagnostics };
}
