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
import { diagnostic, hasErrors, range, type Diagnostic } from "@maa-policy/core";
import { toHex } from "../bytes.js";
import type { X509Crl } from "@peculiar/x509";
import type { Appraisal, AppraiseOptions, Fields, FieldValue } from "../types.js";
import { appraiseHcl, isHclReport } from "../hcl/index.js";
import { fromBase64Any, utf8 } from "./bytes-util.js";
import { readCertBundle, vcekExtensions, type AmdCert, type PinnedRoots } from "./certs.js";
import { snpClaims, type SnpData } from "./claims.js";
import { parseSnpReport, SNP_REPORT_SIZE } from "./report.js";
import { looksLikeSnpJson, parseSnpJsonReport } from "./report-json.js";
import { verifySnp } from "./verify.js";

export { parseSnpReport, productOfCpuid, decodeTcb, SNP_REPORT_SIZE, SNP_SIGNED_SIZE, type SnpReport, type SnpTcb, type SnpParseOptions } from "./report.js";
export { parseSnpJsonReport, looksLikeSnpJson, type SnpJsonReport } from "./report-json.js";
export { snpClaims, type SnpData } from "./claims.js";
export { verifySnp, type SnpVerifyInput, type SnpVerification } from "./verify.js";
export { readCertBundle, readCert, type CertBundle, vcekExtensions, pinnedRoots, pinnedRootSet, type AmdCert, type AmdCertRole, type VcekExtensions, type PinnedRoots } from "./certs.js";
export { AMD_ROOTS, type AmdProduct, type AmdRootSet } from "./roots.js";

/** The signature algorithm's name, or `unknown` when the library does not know it. */
function algorithmName(c: AmdCert): string {
  try {
    return c.cert.signatureAlgorithm.name;
  } catch {
    return "unknown";
  }
}

/** The display fields of a certificate. */
function certFields(c: AmdCert): Fields {
  const f: Record<string, FieldValue> = {
    role: c.role,
    subject: c.cert.subject,
    issuer: c.cert.issuer,
    serial: c.cert.serialNumber,
    not_before: c.cert.notBefore.toISOString(),
    not_after: c.cert.notAfter.toISOString(),
    signature_algorithm: algorithmName(c),
  };
  if (c.product) f["product"] = c.product;
  if (c.role === "vcek" || c.role === "vlek") {
    const e = vcekExtensions(c.cert);
    const ext: Record<string, FieldValue> = {};
    for (const [k, v] of Object.entries(e)) ext[k] = v instanceof Uint8Array ? toHex(v) : (v as FieldValue);
    f["extensions"] = ext;
  }
  return f;
}

/** Options of `appraiseSnpReport`, the shared core of the SNP and HCL appraisals. */
export interface SnpReportInput {
  readonly report: Uint8Array;
  readonly certs: readonly AmdCert[];
  readonly certErrors: readonly string[];
  /** AMD KDS CRLs from the collateral. */
  readonly crls?: readonly X509Crl[] | undefined;
  /** Absolute offset of the report in the evidence. */
  readonly base: number;
  readonly allowTrailing: boolean;
  readonly runtime?: SnpData | undefined;
  readonly init?: SnpData | undefined;
  readonly now: Date;
  /** The trusted roots (default: the pinned AMD roots). */
  readonly roots?: readonly PinnedRoots[] | undefined;
}

/** `AppraiseOptions` plus the trusted roots (default: the pinned AMD roots; tests pass their own). */
export interface SnpAppraiseOptions extends AppraiseOptions {
  readonly roots?: readonly PinnedRoots[] | undefined;
}

/** Decodes, verifies and maps one SNP report; the caller adds the wrapper's fields and checks. */
export async function appraiseSnpReport(input: SnpReportInput): Promise<{ fields: Fields; appraisal: Omit<Appraisal, "fields"> }> {
  const diagnostics: Diagnostic[] = [];
  for (const e of input.certErrors) diagnostics.push(diagnostic("P5207", range(input.base, input.base), `SEV-SNP chain: ${e}`));
  const leaf = input.certs.find((c) => c.role === "vcek" || c.role === "vlek");
  const parsed = parseSnpReport(input.report, {
    base: input.base,
    allowTrailing: input.allowTrailing,
    ...(leaf?.product ? { product: leaf.product } : {}),
  });
  diagnostics.push(...parsed.diagnostics);
  const certificates = input.certs.map(certFields);
  if (!parsed.value) {
    return {
      fields: { certificates },
      appraisal: {
        type: "SevSnpVm",
        verified: false,
        checks: [{ id: "snp.report-format", title: "SEV-SNP report layout", status: "failed", detail: parsed.diagnostics[0]?.message ?? "the report cannot be decoded", code: parsed.diagnostics[0]?.code ?? "P5001" }],
        claims: [],
        diagnostics,
      },
    };
  }
  const report = parsed.value;
  const v = await verifySnp({
    report,
    certs: input.certs,
    runtimeData: input.runtime?.data,
    initTimeData: input.init?.data,
    now: input.now,
    base: input.base,
    roots: input.roots,
    crls: input.crls,
  });
  diagnostics.push(...v.diagnostics);
  const c = snpClaims(report, input.runtime, input.init);
  diagnostics.push(...c.diagnostics);
  const checks = [...v.checks];
  if (c.diagnostics.length > 0) {
    const i = checks.findIndex((k) => k.id === "snp.runtime-data");
    const d = c.diagnostics[0] as Diagnostic;
    checks.splice(i < 0 ? checks.length : i + 1, 0, { id: "snp.runtime-data-json", title: "JSON runtime and init-time data parse", status: "failed", detail: d.message, code: d.code });
  }
  const verified = !checks.some((k) => k.status === "failed") && !hasErrors(diagnostics);
  return {
    fields: { report: report.fields, certificates },
    appraisal: { type: "SevSnpVm", verified, checks, claims: c.claims, diagnostics },
  };
}

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
