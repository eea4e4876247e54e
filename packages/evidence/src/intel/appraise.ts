/**
 * The appraisal of a decoded Intel quote (SgxEnclave, OpenEnclave, TdxVm): verification steps,
 * collateral, runtime and init-time data, claims and fields, in the shape every type shares.
 */
import { hasErrors, type Diagnostic } from "@maa-policy/core";
import { toHex } from "../bytes.js";
import { initTimeDataStep, runtimeDataStep } from "../claims/runtime.js";
import { sgxClaims } from "../claims/sgx.js";
import { tdxClaims } from "../claims/tdx.js";
import type { Appraisal, AppraiseOptions, EvidenceClaim, EvidenceType, Fields, VerificationCheck } from "../types.js";
import { readIntelCollateral, verifyIntelCollateral } from "./collateral.js";
import { certificateFields } from "./pck.js";
import type { IntelQuote } from "./quote.js";
import { sha256, verifyIntelQuote } from "./verify.js";

/** A failed appraisal of evidence that could not be decoded. */
export function undecodable(type: EvidenceType, id: string, title: string, fields: Fields, diagnostics: readonly Diagnostic[]): Appraisal {
  const first = diagnostics.find((d) => d.severity === "error") ?? diagnostics[0];
  return {
    type,
    verified: false,
    checks: [{ id, title, status: "failed", detail: first?.message ?? "the evidence cannot be decoded", code: first?.code ?? "P5004" }],
    claims: [],
    fields,
    diagnostics,
  };
}

/** What the caller knows about the quote. */
export interface IntelAppraisalInput {
  readonly type: EvidenceType;
  readonly quote: IntelQuote;
  /** The bytes whose SHA-256 is `x-ms-sgx-collateral.quotehash` (SGX types). */
  readonly quoteHashOf: Uint8Array;
  readonly fields: Fields;
  readonly diagnostics: readonly Diagnostic[];
  readonly options: AppraiseOptions;
  /** The pinned root key (default: the Intel SGX Root CA); tests pass their own. */
  readonly rootSpki?: string;
}

/** Appraises a decoded Intel quote. */
export async function appraiseIntelQuote(input: IntelAppraisalInput): Promise<Appraisal> {
  const { quote: q, options } = input;
  const p = q.tee;
  const diagnostics: Diagnostic[] = [...input.diagnostics];
  const checks: VerificationCheck[] = [{ id: `${p}.quote-format`, title: p === "sgx" ? "SGX quote layout" : "TDX quote layout", status: "passed", detail: `${p.toUpperCase()} quote version ${q.version}, ${q.end} bytes, PCK chain of ${q.pckChain.length} certificates` }];
  const v = await verifyIntelQuote(q, options.now, input.rootSpki);
  checks.push(...v.checks);
  let tcbStatus: string | undefined;
  const col = { id: `${p}.collateral`, title: "Intel collateral (CRLs, TCB info, QE identity)" };
  if (options.collateral === undefined) {
    checks.push({ ...col, status: "not-checked", detail: "no collateral supplied: TCB status, QE identity and CRLs were not checked" });
  } else {
    const c = readIntelCollateral(options.collateral);
    if (c.value === undefined) {
      diagnostics.push(...c.diagnostics);
      checks.push({ ...col, status: "failed", detail: c.diagnostics[0]?.message ?? "the collateral cannot be read", code: "P5030" });
    } else {
      diagnostics.push(...c.diagnostics);
      const r = await verifyIntelCollateral(q, v.chain, c.value, options.now, input.rootSpki);
      checks.push(...r.checks);
      diagnostics.push(...r.diagnostics);
      tcbStatus = r.tcbStatus;
    }
  }
  const runtimeType = options.runtimeDataType ?? (p === "sgx" ? "Binary" : "JSON");
  const initType = options.initTimeDataType ?? (p === "sgx" ? "Binary" : "JSON");
  let claims: EvidenceClaim[];
  let dataClaims: EvidenceClaim[] = [];
  if (p === "sgx" && q.sgxBody) {
    const body = q.sgxBody;
    // Independent digests, started together (their WebCrypto jobs overlap).
    const [rt, it, quoteHash] = await Promise.all([
      runtimeDataStep("sgx", body.reportData, q.bodyOffset + 320, options.runtimeData, runtimeType, true),
      initTimeDataStep("sgx", options.initTimeData, initType, body.configId, q.bodyOffset + 192, "config_id[0:32]", "SHA-256"),
      sha256(input.quoteHashOf),
    ]);
    checks.push(...rt.checks, ...it.checks);
    diagnostics.push(...rt.diagnostics, ...it.diagnostics);
    dataClaims = [...rt.claims, ...it.claims];
    claims = sgxClaims(body, toHex(quoteHash));
  } else if (q.tdxBody) {
    const body = q.tdxBody;
    const [rt, it] = await Promise.all([
      runtimeDataStep("tdx", body.reportData, q.bodyOffset + 520, options.runtimeData, runtimeType, false),
      initTimeDataStep("tdx", options.initTimeData, initType, body.mrConfigId, q.bodyOffset + 184, "mr_config_id", "SHA-384"),
    ]);
    checks.push(...rt.checks, ...it.checks);
    diagnostics.push(...rt.diagnostics, ...it.diagnostics);
    dataClaims = [...rt.claims, ...it.claims];
    claims = tdxClaims(body, tcbStatus);
  } else claims = [];
  // Runtime claims go before `x-ms-attestation-type`, as in MAA's claim sets.
  const at = claims.findIndex((c) => c.type === "x-ms-attestation-type");
  claims.splice(at < 0 ? claims.length : at, 0, ...dataClaims);
  const pck: Fields[] = [];
  for (const c of v.chain.certs) pck.push(certificateFields(c));
  const fields: Fields = { ...input.fields, pck_certificates: pck };
  const verified = !checks.some((c) => c.status === "failed") && !hasErrors(diagnostics);
  return { type: input.type, verified, checks, claims, fields, diagnostics };
}
