/**
 * The incoming claims MAA gives the policy for TdxVm evidence (EVIDENCE.md 2.4; the MAA docs'
 * TDX EAT profile), issuer `AttestationService`. Byte fields are lowercase hex in quote byte
 * order; `tdx_seamsvn` is tee_tcb_svn[0] (INFERRED, see RULINGS.md); `attester_tcb_status` only
 * when collateral gave a TCB status.
 */
import { toHex } from "../bytes.js";
import type { TdxReportBody } from "../tdx/report-body.js";
import type { EvidenceClaim } from "../types.js";

const claim = (type: string, value: EvidenceClaim["value"]): EvidenceClaim => ({ type, value, issuer: "AttestationService" });

/** The claims of a TD quote body. */
export function tdxClaims(body: TdxReportBody, tcbStatus: string | undefined): EvidenceClaim[] {
  const f = body.fields as Record<string, string>;
  const a = body.tdAttributes;
  const bit = (n: bigint) => (a & (1n << n)) !== 0n;
  const out: EvidenceClaim[] = [
    claim("tdx_mrsignerseam", f["mrsigner_seam"] as string),
    claim("tdx_mrseam", f["mr_seam"] as string),
    claim("tdx_mrtd", f["mr_td"] as string),
    claim("tdx_rtmr0", f["rtmr0"] as string),
    claim("tdx_rtmr1", f["rtmr1"] as string),
    claim("tdx_rtmr2", f["rtmr2"] as string),
    claim("tdx_rtmr3", f["rtmr3"] as string),
    claim("tdx_mrconfigid", f["mr_config_id"] as string),
    claim("tdx_mrowner", f["mr_owner"] as string),
    claim("tdx_mrownerconfig", f["mr_owner_config"] as string),
    claim("tdx_report_data", toHex(body.reportData)),
    claim("tdx_seam_attributes", f["seam_attributes"] as string),
    claim("tdx_td_attributes", f["td_attributes"] as string),
    claim("tdx_xfam", f["xfam"] as string),
    claim("tdx_tee_tcb_svn", toHex(body.teeTcbSvn)),
    claim("tdx_seamsvn", body.teeTcbSvn[0] as number),
    claim("tdx_td_attributes_debug", bit(0n)),
    claim("tdx_td_attributes_septve_disable", bit(28n)),
    claim("tdx_td_attributes_protection_keys", bit(30n)),
    claim("tdx_td_attributes_key_locker", bit(31n)),
    claim("tdx_td_attributes_perfmon", bit(63n)),
    claim("dbgstat", bit(0n) ? "enabled" : "disabled"),
    claim("eat_profile", "https://aka.ms/maa-eat-profile-tdxvm"),
    claim("intuse", "generic"),
  ];
  if (tcbStatus !== undefined) out.push(claim("attester_tcb_status", tcbStatus));
  out.push(claim("x-ms-attestation-type", "tdxvm"));
  return out;
}
