/** OpenEnclave: the legacy OE report (16-byte header + SGX quote) or OE v3 evidence. */
import { appraiseIntelQuote, undecodable } from "../intel/appraise.js";
import type { Appraisal, AppraiseOptions, Fields, ParseResult } from "../types.js";
import { decodeOeEvidence } from "./report.js";

export { decodeOeEvidence, OE_FORMATS, OE_REPORT_HEADER_SIZE, OE_ATTESTATION_HEADER_SIZE, type OeEvidence } from "./report.js";

/** Which bytes `x-ms-sgx-collateral.quotehash` hashes for OpenEnclave (EVIDENCE.md 2.2; RULINGS.md). */
export type OpenEnclaveQuoteHash = NonNullable<AppraiseOptions["openEnclaveQuoteHash"]>;

/** Decodes an OE report or OE evidence with its SGX quote. Never throws. */
export function parseOpenEnclaveReport(bytes: Uint8Array): ParseResult<Fields> {
  const r = decodeOeEvidence(bytes);
  return r.value ? { value: r.value.fields, diagnostics: r.diagnostics } : { diagnostics: r.diagnostics };
}

/**
 * Appraises OpenEnclave evidence. `openEnclaveQuoteHash`: `report` (default; the service since 2022 hashes
 * the whole OE report) or `quote` (the 2021 service hashed the inner SGX quote).
 */
export async function appraiseOpenEnclave(evidence: Uint8Array, options: AppraiseOptions): Promise<Appraisal> {
  const r = decodeOeEvidence(evidence);
  const fields: Fields = { evidence: "oe-report" };
  if (!r.value) return undecodable("OpenEnclave", "sgx.quote-format", "OpenEnclave report layout", fields, r.diagnostics);
  const hashOf = options.openEnclaveQuoteHash === "quote" ? r.value.quote.bytes : evidence;
  return appraiseIntelQuote({ type: "OpenEnclave", quote: r.value.quote, quoteHashOf: hashOf, fields: { ...fields, ...r.value.fields }, diagnostics: r.diagnostics, options });
}
