/**
 * `appraiseEvidence`: the one entry point of the front ends. Detects the input form, takes the
 * runtime data, init-time data and nonce of a request body (explicit options win), tells the
 * type (or takes `options.type`), and dispatches to the type's appraiser, so the CLI, the
 * language server and the service never branch on the type.
 */
import { diagnostic, emptyRange, type Diagnostic } from "@maa-policy/core";
import { undecodable } from "./intel/appraise.js";
import { decodeEvidenceInput, sniffEvidenceType } from "./input.js";
import { appraiseOpenEnclave } from "./oe/index.js";
import { appraiseSgx } from "./sgx/index.js";
import { appraiseSnp } from "./snp/index.js";
import { appraiseTdx } from "./tdx/index.js";
import type { Appraisal, AppraiseOptions, EvidenceType, InputInfo } from "./types.js";

const NAMES: Readonly<Record<EvidenceType, string>> = {
  SgxEnclave: "an SGX quote (SgxEnclave)",
  OpenEnclave: "an OpenEnclave report (OpenEnclave)",
  SevSnpVm: "an SEV-SNP report (SevSnpVm)",
  TdxVm: "a TDX quote (TdxVm)",
};

function isHcl(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x48 && b[1] === 0x43 && b[2] === 0x4c && b[3] === 0x41;
}

/**
 * Appraises evidence in any input form (raw bytes, hex, base64, base64url, an attest request
 * body, an SNP JSON report). Never rejects on any input: a bug is reported as P9001 with the
 * input untouched. Rejects with a TypeError only when `now` is not a valid Date.
 */
export async function appraiseEvidence(input: Uint8Array | string, options: AppraiseOptions): Promise<Appraisal> {
  // Caller misuse, not bad evidence: a thrown TypeError (ARCHITECTURE.md, error handling).
  if (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())) throw new TypeError("appraiseEvidence: `now` must be a valid Date");
  try {
    return await appraise(input, options);
  } catch (e) {
    const type = options.type ?? "SgxEnclave";
    const d = diagnostic("P9001", emptyRange(0), `internal error while appraising the evidence: ${e instanceof Error ? e.message : String(e)}`);
    return undecodable(type, "evidence.internal", "Evidence appraisal", {}, [d]);
  }
}

async function appraise(input: Uint8Array | string, options: AppraiseOptions): Promise<Appraisal> {
  const decoded = decodeEvidenceInput(input);
  const diagnostics: Diagnostic[] = [...decoded.diagnostics];
  const info: { -readonly [K in keyof InputInfo]: InputInfo[K] } = { form: decoded.form };
  const nonce = options.nonce ?? decoded.nonce;
  if (nonce !== undefined) info.nonce = nonce;
  if (decoded.draftPolicyForAttestation !== undefined) info.draftPolicyForAttestation = decoded.draftPolicyForAttestation;
  const bytes = decoded.bytes;
  const seen = decoded.type ?? (bytes.length > 0 ? sniffEvidenceType(bytes) : undefined);
  const type = options.type ?? seen;
  if (bytes.length === 0 || type === undefined) {
    if (bytes.length > 0) diagnostics.push(diagnostic("P5004", emptyRange(0), "the evidence type cannot be told from the bytes: give the type (SgxEnclave, OpenEnclave, SevSnpVm or TdxVm)"));
    const a = undecodable(type ?? "SgxEnclave", "evidence.input", "Evidence input form", { form: decoded.form }, diagnostics);
    return { ...a, input: info };
  }
  if (options.type !== undefined && seen !== undefined && seen !== options.type && !(isHcl(bytes) && (options.type === "SevSnpVm" || options.type === "TdxVm"))) {
    diagnostics.push(diagnostic("P5004", emptyRange(0), `the evidence looks like ${NAMES[seen]}, not ${NAMES[options.type]}`));
  }
  const merged: AppraiseOptions = {
    ...options,
    type,
    ...(options.runtimeData === undefined && decoded.runtimeData !== undefined ? { runtimeData: decoded.runtimeData } : {}),
    ...(options.runtimeDataType === undefined && decoded.runtimeDataType !== undefined ? { runtimeDataType: decoded.runtimeDataType } : {}),
    ...(options.initTimeData === undefined && decoded.initTimeData !== undefined ? { initTimeData: decoded.initTimeData } : {}),
    ...(options.initTimeDataType === undefined && decoded.initTimeDataType !== undefined ? { initTimeDataType: decoded.initTimeDataType } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
  };
  let a: Appraisal;
  if (isHcl(bytes) || type === "SevSnpVm") a = await appraiseSnp(bytes, merged);
  else if (type === "OpenEnclave") a = await appraiseOpenEnclave(bytes, merged);
  else if (type === "TdxVm") a = await appraiseTdx(bytes, merged);
  else a = await appraiseSgx(bytes, merged);
  const all = [...diagnostics, ...a.diagnostics];
  return {
    ...a,
    verified: a.verified && !all.some((d) => d.severity === "error"),
    fields: { form: decoded.form, ...a.fields },
    diagnostics: all,
    input: info,
  };
}
