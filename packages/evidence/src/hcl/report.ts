/**
 * The Azure HCL report (the vTPM NV index 0x01400001 of an Azure confidential VM; EVIDENCE.md
 * section 1.5, edgelesssys/constellation `internal/attestation/azure`):
 *
 * | off  | size | field |
 * |------|------|-------|
 * | 0    | 4    | signature `HCLA` |
 * | 4    | 4    | version (2) |
 * | 8    | 4    | report_size (header + hardware report + IGVM request data + variable data) |
 * | 12   | 4    | request_type (2) |
 * | 16   | 4    | status |
 * | 20   | 12   | reserved |
 * | 32   | 1184 | hardware report: an SNP ATTESTATION_REPORT, or a TDREPORT (1024) padded with zeros |
 * | 1216 | 20   | IGVM request data: data_size, version (1), report_type (2 SNP, 3 TVM, 4 TDX), report_data_hash_type (1 SHA-256), variable_data_size |
 * | 1236 | n    | variable data: the runtime claims JSON (`keys`, `vm-configuration`, `user-data`) |
 *
 * The hardware report's `report_data[0:32]` is SHA-256 of the variable data.
 */
import { ByteReader, toHex } from "../bytes.js";
import type { Fields, FieldValue, ParseResult } from "../types.js";
import { utf8 } from "../snp/bytes-util.js";

/** Offsets of the HCL layout. */
export const HCL_HEADER_SIZE = 32;
export const HCL_HW_REPORT_SIZE = 1184;
export const HCL_IGVM_OFFSET = HCL_HEADER_SIZE + HCL_HW_REPORT_SIZE;
export const HCL_VARIABLE_OFFSET = HCL_IGVM_OFFSET + 20;

/** IGVM report types. */
export const HCL_REPORT_TYPES: Readonly<Record<number, string>> = { 2: "snp", 3: "tvm", 4: "tdx" };

/** The decoded HCL report. */
export interface HclReport {
  readonly version: number;
  readonly reportSize: number;
  readonly requestType: number;
  /** `snp` or `tdx`, from the IGVM request data. */
  readonly kind: "snp" | "tdx" | undefined;
  readonly reportType: number;
  readonly hashType: number;
  /** The 1184 bytes of the hardware report. */
  readonly hardwareReport: Uint8Array;
  /** The variable data (runtime claims JSON). */
  readonly variableData: Uint8Array;
  readonly fields: Fields;
}

/** Whether `bytes` start with `HCLA`. */
export function isHclReport(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x48 && bytes[1] === 0x43 && bytes[2] === 0x4c && bytes[3] === 0x41;
}

/**
 * Decodes the HCL wrapper (not the hardware report inside: the SNP or TDREPORT parser does that).
 * Never throws: P5241 bad magic, P5001 truncation, P5242 unknown report type, P5243 unknown hash
 * type, P5246 inconsistent sizes.
 */
export function parseHclReport(bytes: Uint8Array): ParseResult<HclReport> {
  const r = new ByteReader(bytes, "HCL report");
  if (!isHclReport(bytes)) {
    r.report("P5241", 0, 4, `HCL report: the signature at offset 0 is \`${utf8(bytes.subarray(0, 4)).replace(/[^\x20-\x7e]/g, ".")}\`, not \`HCLA\``);
    return { diagnostics: r.diagnostics };
  }
  if (bytes.length < HCL_VARIABLE_OFFSET) {
    if (bytes.length < HCL_HEADER_SIZE) r.need(0, HCL_HEADER_SIZE, "header");
    else if (bytes.length < HCL_IGVM_OFFSET) r.need(HCL_HEADER_SIZE, HCL_HW_REPORT_SIZE, "hw_report");
    else r.need(HCL_IGVM_OFFSET, 20, "igvm_request_data");
    return { diagnostics: r.diagnostics };
  }
  const version = r.u32(4, "version") ?? 0;
  const reportSize = r.u32(8, "report_size") ?? 0;
  const requestType = r.u32(12, "request_type") ?? 0;
  const status = r.u32(16, "status") ?? 0;
  const dataSize = r.u32(HCL_IGVM_OFFSET, "data_size") ?? 0;
  const igvmVersion = r.u32(HCL_IGVM_OFFSET + 4, "igvm.version") ?? 0;
  const reportType = r.u32(HCL_IGVM_OFFSET + 8, "report_type") ?? 0;
  const hashType = r.u32(HCL_IGVM_OFFSET + 12, "report_data_hash_type") ?? 0;
  const varSize = r.u32(HCL_IGVM_OFFSET + 16, "variable_data_size") ?? 0;
  const kind = reportType === 2 ? "snp" : reportType === 4 ? "tdx" : undefined;
  if (!kind) {
    r.report("P5242", HCL_IGVM_OFFSET + 8, 4, `HCL report: \`report_type\` at offset ${HCL_IGVM_OFFSET + 8} is ${reportType} (${HCL_REPORT_TYPES[reportType] ?? "unknown"}): only 2 (SNP) and 4 (TDX) carry a hardware report that can be read`);
  }
  if (hashType !== 1) {
    r.report("P5243", HCL_IGVM_OFFSET + 12, 4, `HCL report: \`report_data_hash_type\` at offset ${HCL_IGVM_OFFSET + 12} is ${hashType}: only 1 (SHA-256) is known`);
  }
  let variableData: Uint8Array = new Uint8Array(0);
  if (r.need(HCL_VARIABLE_OFFSET, varSize, "variable_data")) {
    variableData = bytes.subarray(HCL_VARIABLE_OFFSET, HCL_VARIABLE_OFFSET + varSize);
  }
  if (dataSize !== varSize + 20) {
    r.report("P5246", HCL_IGVM_OFFSET, 4, `HCL report: \`data_size\` at offset ${HCL_IGVM_OFFSET} is ${dataSize}, but 20 + \`variable_data_size\` is ${varSize + 20}`);
  }
  if (reportSize !== HCL_IGVM_OFFSET + dataSize) {
    r.report("P5246", 8, 4, `HCL report: \`report_size\` at offset 8 is ${reportSize}, but the header, hardware report and IGVM data make ${HCL_IGVM_OFFSET + dataSize}`);
  }
  const hw = bytes.subarray(HCL_HEADER_SIZE, HCL_IGVM_OFFSET);
  const variableText = utf8(variableData);
  const fields: Record<string, FieldValue> = {
    format: "azure-hcl-report",
    signature: "HCLA",
    version,
    report_size: reportSize,
    request_type: requestType,
    status,
    reserved: toHex(bytes.subarray(20, 32)),
    igvm_request_data: {
      data_size: dataSize,
      version: igvmVersion,
      report_type: reportType,
      report_type_name: HCL_REPORT_TYPES[reportType] ?? "unknown",
      report_data_hash_type: hashType,
      variable_data_size: varSize,
    },
    variable_data: variableText,
    trailing_bytes: Math.max(0, bytes.length - (HCL_VARIABLE_OFFSET + varSize)),
  };
  return {
    value: { version, reportSize, requestType, kind, reportType, hashType, hardwareReport: hw, variableData, fields },
    diagnostics: r.diagnostics,
  };
}
