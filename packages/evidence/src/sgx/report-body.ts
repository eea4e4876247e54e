/**
 * The SGX report body (`sgx_report_body_t`, 384 bytes; linux-sgx `common/inc/sgx_report.h`), as
 * found in an SGX quote and as the QE report of every Intel quote.
 */
import { ByteReader, uintLE } from "../bytes.js";
import type { Fields } from "../types.js";

/** The size of `sgx_report_body_t`. */
export const SGX_REPORT_BODY_SIZE = 384;

/** ATTRIBUTES.FLAGS bits (linux-sgx `common/inc/sgx_attributes.h`). */
export const SGX_FLAGS: readonly (readonly [bigint, string])[] = [
  [0x1n, "INIT"],
  [0x2n, "DEBUG"],
  [0x4n, "MODE64BIT"],
  [0x10n, "PROVISION_KEY"],
  [0x20n, "EINITTOKEN_KEY"],
  [0x80n, "KSS"],
  [0x400n, "AEX_NOTIFY"],
];

/** The DEBUG flag. */
export const SGX_FLAG_DEBUG = 0x2n;
/** The KSS (key separation and sharing) flag. */
export const SGX_FLAG_KSS = 0x80n;

/** An SGX report body, decoded; `flags` is kept as a bigint for bit tests. */
export interface SgxReportBody {
  readonly fields: Fields;
  readonly flags: bigint;
  readonly mrEnclave: Uint8Array;
  readonly mrSigner: Uint8Array;
  readonly isvProdId: number;
  readonly isvSvn: number;
  readonly configSvn: number;
  readonly configId: Uint8Array;
  readonly isvExtProdId: Uint8Array;
  readonly isvFamilyId: Uint8Array;
  readonly miscSelect: number;
  readonly attributes: Uint8Array;
  readonly reportData: Uint8Array;
}

/** Names of the set flags, in bit order; unknown bits as `bit N`. */
export function flagNames(flags: bigint): string[] {
  const out: string[] = [];
  // Two 32-bit halves as numbers: a BigInt operation per bit costs more than the rest of the report.
  const halves = [Number(BigInt.asUintN(32, flags)), Number(BigInt.asUintN(32, flags >> 32n))];
  for (let bit = 0; bit < 64; bit++) {
    const half = halves[bit >> 5] as number;
    if (((half >>> (bit & 31)) & 1) === 0) continue;
    const m = 1n << BigInt(bit);
    const known = SGX_FLAGS.find(([v]) => v === m);
    out.push(known ? known[1] : `bit ${bit}`);
  }
  return out;
}

/**
 * Decodes the 384-byte report body at `off` of `r`; undefined (with P5001 in `r`) when it does not fit.
 * Field names and offsets are those of `sgx_report_body_t`.
 */
export function readSgxReportBody(r: ByteReader, off: number, prefix: string): SgxReportBody | undefined {
  if (!r.need(off, SGX_REPORT_BODY_SIZE, `${prefix}`)) return undefined;
  const b = r.bytes.subarray(off, off + SGX_REPORT_BODY_SIZE);
  const body = new ByteReader(b, r.what, r.base + off);
  const hex = (o: number, n: number, f: string) => body.hex(o, n, f) as string;
  const flagsBytes = b.subarray(48, 56);
  const flags = BigInt.asUintN(64, BigInt(uintLE(flagsBytes)));
  const fields: Fields = {
    cpu_svn: hex(0, 16, "cpu_svn"),
    misc_select: body.u32(16, "misc_select") as number,
    reserved1: hex(20, 12, "reserved1"),
    isv_ext_prod_id: hex(32, 16, "isv_ext_prod_id"),
    attributes: {
      flags: hex(48, 8, "attributes.flags"),
      flag_names: flagNames(flags),
      xfrm: hex(56, 8, "attributes.xfrm"),
    },
    mr_enclave: hex(64, 32, "mr_enclave"),
    reserved2: hex(96, 32, "reserved2"),
    mr_signer: hex(128, 32, "mr_signer"),
    reserved3: hex(160, 32, "reserved3"),
    config_id: hex(192, 64, "config_id"),
    isv_prod_id: body.u16(256, "isv_prod_id") as number,
    isv_svn: body.u16(258, "isv_svn") as number,
    config_svn: body.u16(260, "config_svn") as number,
    reserved4: hex(262, 42, "reserved4"),
    isv_family_id: hex(304, 16, "isv_family_id"),
    report_data: hex(320, 64, "report_data"),
  };
  return {
    fields,
    flags,
    mrEnclave: b.subarray(64, 96),
    mrSigner: b.subarray(128, 160),
    isvProdId: fields["isv_prod_id"] as number,
    isvSvn: fields["isv_svn"] as number,
    configSvn: fields["config_svn"] as number,
    configId: b.subarray(192, 256),
    isvExtProdId: b.subarray(32, 48),
    isvFamilyId: b.subarray(304, 320),
    miscSelect: fields["misc_select"] as number,
    attributes: b.subarray(48, 64),
    reportData: b.subarray(320, 384),
  };
}
