/**
 * The TDX TDREPORT (`TDREPORT_STRUCT`, 1024 bytes; linux-sgx `common/inc/sgx_report2.h`) that an
 * Azure TDX CVM's HCL report carries: REPORTMACSTRUCT (256) ‖ TEE_TCB_INFO (239) ‖ reserved (17)
 * ‖ TDINFO (512). `tee_tcb_info_hash` and `tee_info_hash` are SHA-384 of TEE_TCB_INFO and TDINFO.
 */
import { ByteReader, toHex, uintLE } from "../bytes.js";
import type { Fields, FieldValue } from "../types.js";

/** The size of a TDREPORT. */
export const TDREPORT_SIZE = 1024;

/** A decoded TDREPORT. */
export interface TdReport {
  readonly bytes: Uint8Array;
  readonly reportType: number;
  readonly teeTcbInfoHash: Uint8Array;
  readonly teeInfoHash: Uint8Array;
  readonly reportData: Uint8Array;
  /** TEE_TCB_INFO, the 239 bytes `tee_tcb_info_hash` covers. */
  readonly teeTcbInfo: Uint8Array;
  /** TDINFO, the 512 bytes `tee_info_hash` covers. */
  readonly tdInfo: Uint8Array;
  /**
   * The 584-byte TD quote body (`sgx_report2_body_t`) the quoting enclave would build from this
   * TDREPORT: tee_tcb_svn, mr_seam, mrsigner_seam, seam_attributes, then TDINFO's attributes, xfam,
   * mrtd, mrconfigid, mrowner, mrownerconfig, rtmr0..3, then report_data.
   */
  readonly quoteBody: Uint8Array;
  readonly fields: Fields;
}

/** Decodes a TDREPORT at `base` of the evidence; P5001 when it is short. */
export function parseTdReport(bytes: Uint8Array, base: number): { value?: TdReport; reader: ByteReader } {
  const r = new ByteReader(bytes, "TDREPORT", base);
  if (!r.need(0, TDREPORT_SIZE, "tdreport")) return { reader: r };
  const b = bytes.subarray(0, TDREPORT_SIZE);
  const hex = (o: number, n: number) => toHex(b.subarray(o, o + n));
  const teeTcbInfo = b.subarray(256, 256 + 239);
  const tdInfo = b.subarray(512, 1024);
  const quoteBody = new Uint8Array(584);
  quoteBody.set(b.subarray(264, 280), 0); // tee_tcb_svn
  quoteBody.set(b.subarray(280, 328), 16); // mr_seam
  quoteBody.set(b.subarray(328, 376), 64); // mrsigner_seam
  quoteBody.set(b.subarray(376, 384), 112); // seam attributes
  quoteBody.set(b.subarray(512, 512 + 16 + 48 * 8), 120); // td attributes, xfam, mrtd … rtmr3
  quoteBody.set(b.subarray(128, 192), 520); // report_data
  const tcb: Record<string, FieldValue> = {
    valid: hex(256, 8),
    tee_tcb_svn: hex(264, 16),
    mr_seam: hex(280, 48),
    mr_signer_seam: hex(328, 48),
    attributes: hex(376, 8),
    tee_tcb_svn2: hex(384, 16),
    reserved: hex(400, 95),
  };
  const info: Record<string, FieldValue> = {
    attributes: hex(512, 8),
    xfam: hex(520, 8),
    mrtd: hex(528, 48),
    mrconfigid: hex(576, 48),
    mrowner: hex(624, 48),
    mrownerconfig: hex(672, 48),
    rtmr0: hex(720, 48),
    rtmr1: hex(768, 48),
    rtmr2: hex(816, 48),
    rtmr3: hex(864, 48),
    servtd_hash: hex(912, 48),
    reserved: hex(960, 64),
  };
  const fields: Fields = {
    report_mac_struct: {
      report_type: { type: b[0] ?? 0, subtype: b[1] ?? 0, version: b[2] ?? 0 },
      cpu_svn: hex(16, 16),
      tee_tcb_info_hash: hex(32, 48),
      tee_info_hash: hex(80, 48),
      report_data: hex(128, 64),
      mac: hex(224, 32),
    },
    tee_tcb_info: tcb,
    td_info: info,
  };
  return {
    reader: r,
    value: {
      bytes: b,
      reportType: Number(uintLE(b.subarray(0, 1))),
      teeTcbInfoHash: b.subarray(32, 80),
      teeInfoHash: b.subarray(80, 128),
      reportData: b.subarray(128, 192),
      teeTcbInfo,
      tdInfo,
      quoteBody,
      fields,
    },
  };
}
