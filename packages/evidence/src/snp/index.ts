/**
 * SevSnpVm appraisal: an SEV-SNP report (the 1184 raw bytes, the JSON `report` of
 * `/attest/SevSnpVm` with its `VcekCertChain`, or an Azure HCL report holding an SNP report)
 * decoded, verified against the pinned AMD roots and turned into MAA's incoming claims.
 *
 * SNP collateral (`options.collateral`): the VCEK or VLEK certificate, and optionally its ASK and
 * ARK, as PEM text, one DER certificate, or the JSON that Azure THIM returns (`vcekCert`,
 * `certificateChain`), optionally with AMD's CRL for the product (a PEM `CRL` block, a DER file, or
 * `crl` in the JSON). It adds to the JSON report's `VcekCertChain`; a chain without ASK or ARK is
 * completed from the pinned roots of the VCEK's product.
 */
import { hasErrors, type Diagnostic } from "@maa-policy/core";
import type { X509Crl } from "@peculiar/x509";
import type { Appraisal, FieldValue } from "../types.js";
import { appraiseHcl, isHclReport } from "../hcl/index.js";
import { fromBase64Any, utf8 } from "./bytes-util.js";
import { readCertBundle, type AmdCert } from "./certs.js";
import { SNP_REPORT_SIZE } from "./report.js";
import { looksLikeSnpJson, parseSnpJsonReport } from "./report-json.js";
import { appraiseSnpReport, type SnpAppraiseOptions } from "./appraise-report.js";

export { parseSnpReport, productOfCpuid, decodeTcb, SNP_REPORT_SIZE, SNP_SIGNED_SIZE, type SnpReport, type SnpTcb, type SnpParseOptions } from "./report.js";
export { parseSnpJsonReport, looksLikeSnpJson, type SnpJsonReport } from "./report-json.js";
export { snpClaims, type SnpData } from "./claims.js";
export { verifySnp, type SnpVerifyInput, type SnpVerification } from "./verify.js";
export { readCertBundle, readCert, type CertBundle, vcekExtensions, pinnedRoots, pinnedRootSet, type AmdCert, type AmdCertRole, type VcekExtensions, type PinnedRoots } from "./certs.js";
export { AMD_ROOTS, type AmdProduct, type AmdRootSet } from "./roots.js";

export { appraiseSnpReport, type SnpReportInput, type SnpAppraiseOptions } from "./appraise-report.js";

/** The UTF-8 JSON text of a parsed report object (empty when it cannot be serialized). */
function jsonBytes(o: SnpJsonReportObject): Uint8Array {
  try {
    return new TextEncoder().encode(JSON.stringify(o));
  } catch {
    return new Uint8Array(0);
  }
}

/** The parsed JSON `report` of `/attest/SevSnpVm`. */
export interface SnpJsonReportObject {
  readonly SnpReport: string;
  readonly VcekCertChain?: string;
  readonly Endorsements?: string;
}

/**
 * Appraises SevSnpVm evidence: the raw report, the JSON `report` (`SnpReport`, `VcekCertChain`,
 * `Endorsements`; its UTF-8 bytes, base64url of them, or the parsed object), or an Azure HCL
 * report (delegated to `appraiseHcl`). Never rejects on any bytes.
 */
export async function appraiseSnp(input: Uint8Array | SnpJsonReportObject, options: SnpAppraiseOptions): Promise<Appraisal> {
  const evidence = input instanceof Uint8Array ? input : jsonBytes(input);
  if (isHclReport(evidence)) return appraiseHcl(evidence, options);
  const diagnostics: Diagnostic[] = [];
  let report = evidence;
  let certs: AmdCert[] = [];
  let crls: X509Crl[] = [];
  const certErrors: string[] = [];
  const wrapper: Record<string, FieldValue> = { evidence: "sev-snp", form: "binary" };
  let json: Uint8Array | undefined = looksLikeSnpJson(evidence) ? evidence : undefined;
  if (!json && evidence.length !== SNP_REPORT_SIZE) {
    const decoded = fromBase64Any(utf8(evidence).trim());
    if (decoded && looksLikeSnpJson(decoded)) json = decoded;
  }
  if (json) {
    const j = parseSnpJsonReport(json);
    diagnostics.push(...j.diagnostics);
    if (!j.value) {
      return { type: "SevSnpVm", verified: false, checks: [{ id: "snp.report-format", title: "SevSnpVm JSON report", status: "failed", detail: j.diagnostics[0]?.message ?? "unreadable", code: "P5206" }], claims: [], fields: wrapper, diagnostics };
    }
    Object.assign(wrapper, j.value.fields);
    report = j.value.report;
    if (j.value.certChainPem !== undefined) {
      const b = readCertBundle(j.value.certChainPem);
      certs = b.certs;
      certErrors.push(...b.errors.map((e) => `VcekCertChain: ${e}`));
    }
  }
  if (options.collateral !== undefined) {
    const b = readCertBundle(options.collateral);
    certs = [...certs, ...b.certs];
    crls = b.crls;
    certErrors.push(...b.errors.map((e) => `collateral: ${e}`));
  }
  const runtime = options.runtimeData ? { data: options.runtimeData, type: options.runtimeDataType ?? "JSON" } : undefined;
  const init = options.initTimeData ? { data: options.initTimeData, type: options.initTimeDataType ?? "JSON" } : undefined;
  const r = await appraiseSnpReport({ report, certs, certErrors, crls, base: 0, allowTrailing: false, runtime, init, now: options.now, roots: options.roots });
  const all = [...diagnostics, ...r.appraisal.diagnostics];
  return {
    ...r.appraisal,
    verified: r.appraisal.verified && !hasErrors(all),
    diagnostics: all,
    fields: { ...wrapper, ...r.fields },
  };
}
