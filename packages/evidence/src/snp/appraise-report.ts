/**
 * One SEV-SNP report appraised: decoded, verified against the pinned AMD roots, its claims made.
 * Shared by `appraiseSnp` (raw and JSON reports) and the HCL appraiser (an SNP report inside an
 * Azure HCL report), which is why it stands apart from `index.ts`.
 */
import { diagnostic, hasErrors, range, type Diagnostic } from "@maa-policy/core";
import { toHex } from "../bytes.js";
import type { X509Crl } from "@peculiar/x509";
import type { Appraisal, AppraiseOptions, Fields, FieldValue } from "../types.js";
import { vcekExtensions, type AmdCert, type PinnedRoots } from "./certs.js";
import { snpClaims, type SnpData } from "./claims.js";
import { parseSnpReport } from "./report.js";
import { verifySnp } from "./verify.js";

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

