/**
 * The TD quote body (`sgx_report2_body_t`, 584 bytes; TDX 1.5 `sgx_report2_body_v1_5_t`, 648 bytes),
 * DCAP `sgx_quote_4.h` / `sgx_quote_5.h`.
 */
import { ByteReader, uintLE } from "../bytes.js";
import type { Fields } from "../types.js";

export const TDX_BODY_SIZE = 584;
export const TDX15_BODY_SIZE = 648;

/** TD_ATTRIBUTES bits MAA reports (go-tdx-guest `validate/validate.go`; KL from the Intel TDX spec). */
export const TD_ATTRIBUTE_BITS: readonly (readonly [bigint, string])[] = [
  [1n << 0n, "DEBUG"],
  [1n << 28n, "SEPT_VE_DISABLE"],
  [1n << 30n, "PKS"],
  [1n << 31n, "KL"],
  [1n << 63n, "PERFMON"],
];

/** A TD quote body, decoded. */
export interface TdxReportBody {
  readonly fields: Fields;
  readonly teeTcbSvn: Uint8Array;
  readonly tdAttributes: bigint;
  readonly reportData: Uint8Array;
  readonly mrConfigId: Uint8Array;
  readonly bytes: Uint8Array;
}

/** Decodes a TD quote body of `size` (584 or 648) bytes at `off` of `r`. */
export function readTdxReportBody(r: ByteReader, off: number, size: number): TdxReportBody | undefined {
  if (!r.need(off, size, "td_quote_body")) return undefined;
  const b = r.bytes.subarray(off, off + size);
  const body = new ByteReader(b, r.what, r.base + off);
  const hex = (o: number, n: number, f: string) => body.hex(o, n, f) as string;
  const tdAttributes = BigInt.asUintN(64, BigInt(uintLE(b.subarray(120, 128))));
  const fields: Record<string, Fields[string]> = {
    tee_tcb_svn: hex(0, 16, "tee_tcb_svn"),
    mr_seam: hex(16, 48, "mr_seam"),
    mrsigner_seam: hex(64, 48, "mrsigner_seam"),
    seam_attributes: hex(112, 8, "seam_attributes"),
    td_attributes: hex(120, 8, "td_attributes"),
    td_attribute_names: TD_ATTRIBUTE_BITS.filter(([m]) => (tdAttributes & m) !== 0n).map(([, n]) => n),
    xfam: hex(128, 8, "xfam"),
    mr_td: hex(136, 48, "mr_td"),
    mr_config_id: hex(184, 48, "mr_config_id"),
    mr_owner: hex(232, 48, "mr_owner"),
    mr_owner_config: hex(280, 48, "mr_owner_config"),
    rtmr0: hex(328, 48, "rtmr0"),
    rtmr1: hex(376, 48, "rtmr1"),
    rtmr2: hex(424, 48, "rtmr2"),
    rtmr3: hex(472, 48, "rtmr3"),
    report_data: hex(520, 64, "report_data"),
  };
  if (size === TDX15_BODY_SIZE) {
    fields["tee_tcb_svn2"] = hex(584, 16, "tee_tcb_svn2");
    fields["mr_servicetd"] = hex(600, 48, "mr_servicetd");
  }
  return {
    fields,
    teeTcbSvn: b.subarray(0, 16),
    tdAttributes,
    reportData: b.subarray(520, 584),
    mrConfigId: b.subarray(184, 232),
    bytes: b,
  };
}
