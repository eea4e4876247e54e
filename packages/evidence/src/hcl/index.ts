/**
 * Azure HCL report appraisal. An HCL report wraps the hardware report of an Azure confidential VM
 * and the runtime claims JSON ("variable data") that the hardware report binds.
 *
 * - SNP (report type 2): the SNP report at offset 32 is appraised as SevSnpVm evidence, with the
 *   variable data as its JSON runtime data (what the Azure CVM tooling sends to `/attest/SevSnpVm`
 *   as `runtimeData`); the VCEK comes from `options.collateral` (see `../snp/index.ts`).
 * - TDX (report type 4): the TDREPORT at offset 32 is decoded and checked as far as it can be
 *   offline: report_data[0:32] = SHA-256(variable data), and its two SHA-384 digests. Its MAC is
 *   keyed to the CPU: on Azure the guest sends the TDREPORT to IMDS (`/acc/tdquote`) for a signed
 *   TD quote, and that quote is what `/attest/TdxVm` takes, so the MAC step is `not-checked`. The
 *   claims are the TdxVm claims of the TD quote body that quote would carry (built from the
 *   TDREPORT fields), without `attester_tcb_status`, plus `x-ms-runtime` from the variable data.
 */
import { diagnostic, hasErrors, range, type Diagnostic } from "@maa-policy/core";
import { ByteReader, bytesEqual, toHex } from "../bytes.js";
import type { Appraisal, EvidenceClaim, FieldValue, VerificationCheck } from "../types.js";
import { digest } from "../snp/bytes-util.js";
import { readCertBundle } from "../snp/certs.js";
import { parseJsonData, serializeJsonClaim } from "../claims/runtime.js";
import { tdxClaims } from "../claims/tdx.js";
import { readTdxReportBody, TDX_BODY_SIZE } from "../tdx/report-body.js";
import { appraiseSnpReport, type SnpAppraiseOptions } from "../snp/appraise-report.js";
import { HCL_HEADER_SIZE, HCL_VARIABLE_OFFSET, parseHclReport } from "./report.js";
import { parseTdReport } from "./tdreport.js";

export { parseHclReport, isHclReport, HCL_HEADER_SIZE, HCL_IGVM_OFFSET, HCL_VARIABLE_OFFSET, type HclReport } from "./report.js";
export { parseTdReport, TDREPORT_SIZE, type TdReport } from "./tdreport.js";

const TITLES: Readonly<Record<string, string>> = {
  "hcl.format": "Azure HCL report layout",
  "hcl.variable-data": "Variable data bound by report_data[0:32] = SHA-256",
  "hcl.variable-data-json": "Variable data is a JSON object",
  "hcl.tee-tcb-info-hash": "TDREPORT tee_tcb_info_hash = SHA-384(TEE_TCB_INFO)",
  "hcl.tee-info-hash": "TDREPORT tee_info_hash = SHA-384(TDINFO)",
  "hcl.tdreport-mac": "TDREPORT MAC",
};

function check(id: string, status: VerificationCheck["status"], detail: string, code?: Diagnostic["code"]): VerificationCheck {
  return { id, title: TITLES[id] ?? id, status, detail, ...(code ? { code } : {}) };
}

/**
 * Appraises an Azure HCL report: type `SevSnpVm` for an SNP hardware report, `TdxVm` for a
 * TDREPORT. Never rejects on any bytes.
 */
export async function appraiseHcl(evidence: Uint8Array, options: SnpAppraiseOptions): Promise<Appraisal> {
  const parsed = parseHclReport(evidence);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const hcl = parsed.value;
  const fallbackType = options.type === "TdxVm" ? "TdxVm" : "SevSnpVm";
  if (!hcl || !hcl.kind) {
    const first = parsed.diagnostics.find((d) => d.severity === "error") ?? parsed.diagnostics[0];
    return {
      type: fallbackType,
      verified: false,
      checks: [check("hcl.format", "failed", first?.message ?? "the HCL report cannot be decoded", first?.code ?? "P5241")],
      claims: [],
      fields: { evidence: "azure-hcl", form: "binary", ...(hcl ? { hcl: hcl.fields } : {}) },
      diagnostics,
    };
  }
  const formatCheck = check("hcl.format", "passed", `HCLA version ${hcl.version}, ${hcl.kind.toUpperCase()} hardware report, ${hcl.variableData.length} bytes of variable data`);
  if (hcl.kind === "snp") {
    const collateral = options.collateral !== undefined ? readCertBundle(options.collateral) : { certs: [], crls: [], errors: [] };
    const runtime = options.runtimeData
      ? { data: options.runtimeData, type: options.runtimeDataType ?? "JSON" }
      : { data: hcl.variableData, type: "JSON" as const };
    const init = options.initTimeData ? { data: options.initTimeData, type: options.initTimeDataType ?? "JSON" } : undefined;
    const r = await appraiseSnpReport({
      report: hcl.hardwareReport,
      certs: collateral.certs,
      certErrors: collateral.errors.map((e) => `collateral: ${e}`),
      crls: collateral.crls,
      base: HCL_HEADER_SIZE,
      allowTrailing: false,
      runtime,
      init,
      now: options.now,
      roots: options.roots,
    });
    const checks = [formatCheck, ...r.appraisal.checks];
    if (options.runtimeData) {
      checks.push(await variableDataCheck(hcl.hardwareReport.subarray(0x50, 0x70), hcl.variableData, HCL_HEADER_SIZE + 0x50, diagnostics));
    }
    const all = [...diagnostics, ...r.appraisal.diagnostics];
    return {
      ...r.appraisal,
      verified: !checks.some((c) => c.status === "failed") && !hasErrors(all),
      checks,
      diagnostics: all,
      fields: { evidence: "azure-hcl", form: "binary", hcl: hcl.fields, ...r.fields },
    };
  }

  // TDX: the TDREPORT.
  const td = parseTdReport(hcl.hardwareReport, HCL_HEADER_SIZE);
  diagnostics.push(...td.reader.diagnostics);
  const checks: VerificationCheck[] = [formatCheck];
  let claims: EvidenceClaim[] = [{ type: "x-ms-attestation-type", value: "tdxvm", issuer: "AttestationService" }];
  const fields: Record<string, FieldValue> = { evidence: "azure-hcl", form: "binary", hcl: hcl.fields };
  if (td.value) {
    const t = td.value;
    fields["tdreport"] = t.fields;
    fields["td_quote_body"] = toHex(t.quoteBody);
    // The TdxVm claims of the TD quote body IMDS would make from this TDREPORT (ruling: no TCB status).
    const body = readTdxReportBody(new ByteReader(t.quoteBody, "TD quote body"), 0, TDX_BODY_SIZE);
    if (body) claims = tdxClaims(body, undefined);
    if (t.reportType !== 0x81) {
      diagnostics.push(diagnostic("P5242", range(HCL_HEADER_SIZE, HCL_HEADER_SIZE + 1), `HCL report: the TDREPORT \`report_type.type\` at offset ${HCL_HEADER_SIZE} is 0x${t.reportType.toString(16)}, not 0x81 (TDX)`));
      checks.push(check("hcl.format", "failed", `the hardware report is no TDREPORT (type 0x${t.reportType.toString(16)})`, "P5242"));
    }
    const runtimeBytes = options.runtimeData ?? hcl.variableData;
    checks.push(await variableDataCheck(t.reportData.subarray(0, 32), runtimeBytes, HCL_HEADER_SIZE + 128, diagnostics, options.runtimeData !== undefined));
    const tcbHash = await digest("SHA-384", t.teeTcbInfo);
    if (bytesEqual(tcbHash, t.teeTcbInfoHash)) checks.push(check("hcl.tee-tcb-info-hash", "passed", "tee_tcb_info_hash is SHA-384 of the 239 bytes of TEE_TCB_INFO"));
    else {
      const msg = `HCL report: TDREPORT \`tee_tcb_info_hash\` at offset ${HCL_HEADER_SIZE + 32} is not SHA-384 of TEE_TCB_INFO (${toHex(tcbHash).slice(0, 16)}…): the TDREPORT was changed`;
      diagnostics.push(diagnostic("P5245", range(HCL_HEADER_SIZE + 32, HCL_HEADER_SIZE + 80), msg));
      checks.push(check("hcl.tee-tcb-info-hash", "failed", msg, "P5245"));
    }
    const infoHash = await digest("SHA-384", t.tdInfo);
    if (bytesEqual(infoHash, t.teeInfoHash)) checks.push(check("hcl.tee-info-hash", "passed", "tee_info_hash is SHA-384 of the 512 bytes of TDINFO"));
    else {
      const msg = `HCL report: TDREPORT \`tee_info_hash\` at offset ${HCL_HEADER_SIZE + 80} is not SHA-384 of TDINFO (${toHex(infoHash).slice(0, 16)}…): the TDREPORT was changed`;
      diagnostics.push(diagnostic("P5245", range(HCL_HEADER_SIZE + 80, HCL_HEADER_SIZE + 128), msg));
      checks.push(check("hcl.tee-info-hash", "failed", msg, "P5245"));
    }
    checks.push(check("hcl.tdreport-mac", "not-checked", "the TDREPORT MAC is keyed to the CPU and cannot be checked offline: attest the TD quote Azure's IMDS (/acc/tdquote) makes from this TDREPORT for a signature to the Intel root"));
  }
  const json = parseJsonData(options.runtimeData ?? hcl.variableData);
  if (json.value) {
    checks.push(check("hcl.variable-data-json", "passed", "the variable data is a JSON object (it becomes x-ms-runtime)"));
    claims.push({ type: "x-ms-runtime", value: serializeJsonClaim(json.value), issuer: "AttestationService" });
  } else {
    const msg = `HCL report: the variable data at offset ${HCL_VARIABLE_OFFSET} (${hcl.variableData.length} bytes) is not a JSON object (${json.error ?? "unreadable"}): no \`x-ms-runtime\` claim`;
    diagnostics.push(diagnostic("P5247", range(HCL_VARIABLE_OFFSET, HCL_VARIABLE_OFFSET + hcl.variableData.length), msg));
    checks.push(check("hcl.variable-data-json", "failed", msg, "P5247"));
  }
  return {
    type: "TdxVm",
    verified: !checks.some((c) => c.status === "failed") && !hasErrors(diagnostics),
    checks,
    claims,
    fields,
    diagnostics,
  };
}

async function variableDataCheck(head: Uint8Array, data: Uint8Array, offset: number, diagnostics: Diagnostic[], supplied = false): Promise<VerificationCheck> {
  const h = await digest("SHA-256", data);
  const what = supplied ? "the runtime data supplied" : "the HCL variable data";
  if (bytesEqual(h, head)) return check("hcl.variable-data", "passed", `report_data[0:32] = SHA-256 of ${what} (${data.length} bytes)`);
  const msg = `HCL report: \`report_data[0:32]\` at offset ${offset} is ${toHex(head)}, but SHA-256 of ${what} is ${toHex(h)}`;
  diagnostics.push(diagnostic("P5244", range(offset, offset + 32), msg));
  return check("hcl.variable-data", "failed", msg, "P5244");
}
