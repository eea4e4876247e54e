/**
 * The evidence options every front end takes as text (the command line, a test file, a
 * language-server request): read here once, so `maa-policy evidence`, `eval --evidence`, `diff
 * --evidence`, evidence test cases and the language server accept the same values with the same
 * messages. The files the options name are read by the caller (this package does no I/O).
 */
import { EVIDENCE_TYPES, type AppraiseOptions, type DataType, type EvidenceType } from "./types.js";

/** Evidence options as written by the user (file options are the caller's). */
export interface EvidenceOptionText {
  readonly type?: string | undefined;
  readonly runtimeDataType?: string | undefined;
  readonly initTimeDataType?: string | undefined;
  readonly nonce?: string | undefined;
  readonly at?: string | undefined;
  readonly openEnclaveQuoteHash?: string | undefined;
}

/** The name of an option of `EvidenceOptionText`. */
export type EvidenceOptionName = keyof EvidenceOptionText;

/** What `EvidenceOptionText` gives: appraisal options without the bytes, and the verification time if given. */
export type EvidenceTextOptions = Pick<AppraiseOptions, "type" | "runtimeDataType" | "initTimeDataType" | "nonce" | "openEnclaveQuoteHash"> & { readonly at?: Date };

/** The options read, or the first option in error with a message that does not name it (the caller does, its own way). */
export type EvidenceOptionsResult =
  | { readonly ok: true; readonly options: EvidenceTextOptions }
  | { readonly ok: false; readonly option: EvidenceOptionName; readonly message: string };

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * An ISO 8601 date (midnight UTC) or date and time with `Z` or an offset; a time without a zone
 * would depend on the machine's zone, so it is refused, and so is a day or hour that does not
 * exist (`Date` would move 2021-02-30 to March 2). A string is the reason it is refused.
 */
export function parseIsoTime(text: string): Date | string {
  const t = text.trim();
  const m = ISO_TIME.exec(t);
  if (!m) return `\`${text}\` is not an ISO 8601 time such as 2021-04-17 or 2021-04-17T12:00:00Z (a time needs Z or an offset)`;
  const [y, mo, d, h = 0, mi = 0, s = 0, , oh = 0, om = 0] = m.slice(1).map((x) => (x === undefined || !/^\d+$/.test(x) ? undefined : Number(x)));
  const days = mo !== undefined && y !== undefined ? new Date(Date.UTC(y, mo, 0)).getUTCDate() : 0;
  if (mo === undefined || mo < 1 || mo > 12 || d === undefined || d < 1 || d > days || h > 23 || mi > 59 || s > 59 || oh > 23 || om > 59) return `\`${text}\` is not a valid date`;
  return new Date(t);
}

/** An evidence type by name, in any case. */
export function evidenceTypeNamed(text: string): EvidenceType | undefined {
  const t = text.trim().toLowerCase();
  return EVIDENCE_TYPES.find((x) => x.toLowerCase() === t);
}

function dataTypeNamed(text: string): DataType | undefined {
  const t = text.trim().toLowerCase();
  return t === "binary" ? "Binary" : t === "json" ? "JSON" : undefined;
}

/** Reads the evidence options given as text, in a fixed order (so the first mistake reported does not depend on how they were written). Never throws. */
export function readEvidenceOptionText(text: EvidenceOptionText): EvidenceOptionsResult {
  const fail = (option: EvidenceOptionName, message: string): EvidenceOptionsResult => ({ ok: false, option, message });
  let type: EvidenceType | undefined;
  if (text.type !== undefined) {
    type = evidenceTypeNamed(text.type);
    if (type === undefined) return fail("type", `must be one of ${EVIDENCE_TYPES.join(", ")} (got \`${text.type}\`)`);
  }
  const dataTypes: { runtimeDataType?: DataType; initTimeDataType?: DataType } = {};
  for (const k of ["runtimeDataType", "initTimeDataType"] as const) {
    const v = text[k];
    if (v === undefined) continue;
    const d = dataTypeNamed(v);
    if (d === undefined) return fail(k, `must be \`binary\` or \`json\` (got \`${v}\`)`);
    dataTypes[k] = d;
  }
  let at: Date | undefined;
  if (text.at !== undefined) {
    const d = parseIsoTime(text.at);
    if (typeof d === "string") return fail("at", d);
    at = d;
  }
  if (text.nonce === "") return fail("nonce", "must not be empty");
  let quoteHash: "report" | "quote" | undefined;
  if (text.openEnclaveQuoteHash !== undefined) {
    const q = text.openEnclaveQuoteHash.trim().toLowerCase();
    if (q !== "report" && q !== "quote") return fail("openEnclaveQuoteHash", `must be \`report\` or \`quote\` (got \`${text.openEnclaveQuoteHash}\`)`);
    quoteHash = q;
  }
  return {
    ok: true,
    options: {
      ...(type !== undefined ? { type } : {}),
      ...dataTypes,
      ...(text.nonce !== undefined ? { nonce: text.nonce } : {}),
      ...(at !== undefined ? { at } : {}),
      ...(quoteHash !== undefined ? { openEnclaveQuoteHash: quoteHash } : {}),
    },
  };
}
