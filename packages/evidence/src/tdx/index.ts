/** TdxVm: a TDX quote v4 or v5. (The Azure HCL report with a TDREPORT is appraised by `../hcl`.) */
import { decodeIntelQuote } from "../intel/quote.js";
import { appraiseIntelQuote, undecodable } from "../intel/appraise.js";
import type { Appraisal, AppraiseOptions, Fields, ParseResult } from "../types.js";

export { readTdxReportBody, TDX_BODY_SIZE, TDX15_BODY_SIZE, TD_ATTRIBUTE_BITS, type TdxReportBody } from "./report-body.js";

/** Decodes a TDX quote: every field of EVIDENCE.md 1.4 as JSON-able values. Never throws. */
export function parseTdxQuote(bytes: Uint8Array): ParseResult<Fields> {
  const r = decodeIntelQuote(bytes, 0, "tdx");
  return r.value ? { value: r.value.fields, diagnostics: r.diagnostics } : { diagnostics: r.diagnostics };
}

/** Appraises TdxVm evidence (the quote bytes). Never rejects on any bytes. */
export async function appraiseTdx(evidence: Uint8Array, options: AppraiseOptions): Promise<Appraisal> {
  const r = decodeIntelQuote(evidence, 0, "tdx");
  const fields: Fields = { evidence: "tdx-quote" };
  if (!r.value) return undecodable("TdxVm", "tdx.quote-format", "TDX quote layout", fields, r.diagnostics);
  return appraiseIntelQuote({ type: "TdxVm", quote: r.value, quoteHashOf: r.value.bytes, fields: { ...fields, quote: r.value.fields }, diagnostics: r.diagnostics, options });
}
