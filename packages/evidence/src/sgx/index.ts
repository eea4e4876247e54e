/** SgxEnclave: a raw SGX ECDSA quote (v3, or v4 with an SGX body). */
import { decodeIntelQuote } from "../intel/quote.js";
import { appraiseIntelQuote, undecodable } from "../intel/appraise.js";
import type { Appraisal, AppraiseOptions, Fields, ParseResult } from "../types.js";

export { readSgxReportBody, flagNames, SGX_REPORT_BODY_SIZE, type SgxReportBody } from "./report-body.js";

/** Decodes an SGX quote: every field of EVIDENCE.md 1.1 as JSON-able values. Never throws. */
export function parseSgxQuote(bytes: Uint8Array): ParseResult<Fields> {
  const r = decodeIntelQuote(bytes, 0, "sgx");
  return r.value ? { value: r.value.fields, diagnostics: r.diagnostics } : { diagnostics: r.diagnostics };
}

/** Appraises SgxEnclave evidence (the quote bytes). Never rejects on any bytes. */
export async function appraiseSgx(evidence: Uint8Array, options: AppraiseOptions): Promise<Appraisal> {
  const r = decodeIntelQuote(evidence, 0, "sgx");
  const fields: Fields = { evidence: "sgx-quote" };
  if (!r.value) return undecodable("SgxEnclave", "sgx.quote-format", "SGX quote layout", fields, r.diagnostics);
  return appraiseIntelQuote({ type: "SgxEnclave", quote: r.value, quoteHashOf: evidence, fields: { ...fields, quote: r.value.fields }, diagnostics: r.diagnostics, options });
}
