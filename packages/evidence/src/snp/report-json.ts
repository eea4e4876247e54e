/**
 * The JSON `report` that MAA's `/attest/SevSnpVm` takes (REST spec 2025-06-01, AttestSevSnpVm):
 * `{"SnpReport": base64url(1184-byte report), "VcekCertChain": base64url(PEM VCEK ‖ ASK ‖ ARK),
 * "Endorsements"?: base64url(…)}`. The request's `report` member is base64url of this JSON text;
 * input detection (`../input.ts`) or the caller removes that outer layer, and this module accepts
 * either.
 *
 * Diagnostic ranges are byte offsets into the JSON text (UTF-8).
 */
import { diagnostic, range, type Diagnostic } from "@maa-policy/core";
import type { Fields, FieldValue, ParseResult } from "../types.js";
import { fromBase64Any, utf8 } from "./bytes-util.js";

/** The decoded JSON report. */
export interface SnpJsonReport {
  /** The `SnpReport` bytes. */
  readonly report: Uint8Array;
  /** The PEM text of `VcekCertChain`, when present. */
  readonly certChainPem?: string;
  /** The decoded `Endorsements` bytes, when present. */
  readonly endorsements?: Uint8Array;
  /** The byte offset of the `SnpReport` member's value in the text (for messages). */
  readonly reportOffset: number;
  readonly fields: Fields;
}

const KNOWN = ["SnpReport", "VcekCertChain", "Endorsements"];
/** Unknown members named one by one; the rest are counted. */
const MAX_UNKNOWN = 5;

/** Whether `bytes` look like the JSON report: a `{` first (after white space) and an `SnpReport` key. */
export function looksLikeSnpJson(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] !== 0x7b) return false;
  return utf8(bytes.subarray(0, Math.min(bytes.length, 1 << 16))).includes('"SnpReport"');
}

/** The offset of `"key"` in the UTF-8 `text`, in bytes (0 when absent). */
function keyOffset(text: string, key: string): number {
  const i = text.indexOf(`"${key}"`);
  return i < 0 ? 0 : new TextEncoder().encode(text.slice(0, i)).length;
}

/** Parses the JSON report (its UTF-8 bytes, or base64url of them). Never throws. */
export function parseSnpJsonReport(input: Uint8Array): ParseResult<SnpJsonReport> {
  let bytes = input;
  if (!looksLikeSnpJson(bytes)) {
    const decoded = fromBase64Any(utf8(bytes).trim());
    if (decoded && looksLikeSnpJson(decoded)) bytes = decoded;
  }
  const text = utf8(bytes);
  const all = range(0, bytes.length);
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string, at = all) => {
    diagnostics.push(diagnostic("P5206", at, message));
    return { diagnostics };
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return fail(`SevSnpVm report: not valid JSON: ${e instanceof Error ? e.message.replace(/\s+/g, " ") : "unreadable"}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return fail("SevSnpVm report: expected a JSON object with `SnpReport` and `VcekCertChain`");
  }
  const o = data as Record<string, unknown>;
  const at = (key: string) => {
    const off = keyOffset(text, key);
    return range(off, Math.min(bytes.length, off + key.length + 2));
  };
  // Each unknown member is located in the text (a linear search): name the first few, count the rest.
  const unknown = Object.keys(o).filter((key) => !KNOWN.includes(key));
  for (const key of unknown.slice(0, MAX_UNKNOWN)) {
    diagnostics.push(diagnostic("P5206", at(key), `SevSnpVm report: unknown member \`${key}\` at offset ${keyOffset(text, key)}: MAA reads only \`SnpReport\`, \`VcekCertChain\` and \`Endorsements\``, { severity: "warning" }));
  }
  if (unknown.length > MAX_UNKNOWN) {
    diagnostics.push(diagnostic("P5206", all, `SevSnpVm report: ${unknown.length - MAX_UNKNOWN} more unknown members`, { severity: "warning" }));
  }
  const snp = o["SnpReport"];
  if (typeof snp !== "string") return fail("SevSnpVm report: `SnpReport` is missing or not a string: expected base64url of the 1184-byte report");
  const report = fromBase64Any(snp);
  if (!report) return fail(`SevSnpVm report: \`SnpReport\` at offset ${keyOffset(text, "SnpReport")} is not base64url`, at("SnpReport"));
  const fields: Record<string, FieldValue> = { form: "snp-json", SnpReport_bytes: report.length };
  let certChainPem: string | undefined;
  const chain = o["VcekCertChain"];
  if (chain !== undefined) {
    const decoded = typeof chain === "string" ? fromBase64Any(chain) : undefined;
    if (!decoded) {
      diagnostics.push(diagnostic("P5206", at("VcekCertChain"), `SevSnpVm report: \`VcekCertChain\` at offset ${keyOffset(text, "VcekCertChain")} is not a base64url string`));
    } else {
      certChainPem = utf8(decoded);
      fields["VcekCertChain_bytes"] = decoded.length;
    }
  }
  let endorsements: Uint8Array | undefined;
  const endo = o["Endorsements"];
  if (endo !== undefined) {
    const decoded = typeof endo === "string" ? fromBase64Any(endo) : undefined;
    if (!decoded) {
      diagnostics.push(diagnostic("P5206", at("Endorsements"), `SevSnpVm report: \`Endorsements\` at offset ${keyOffset(text, "Endorsements")} is not a base64url string`));
    } else {
      endorsements = decoded;
      fields["Endorsements_bytes"] = decoded.length;
    }
  }
  const value: SnpJsonReport = {
    report,
    ...(certChainPem !== undefined ? { certChainPem } : {}),
    ...(endorsements ? { endorsements } : {}),
    reportOffset: keyOffset(text, "SnpReport"),
    fields,
  };
  return { value, diagnostics };
}
