/**
 * Runtime data and init-time data: the binding check and the claims they give.
 *
 * - Binding: report_data[0:32] = SHA-256(runtime data bytes), for every type (EVIDENCE.md 2.1).
 * - `Binary` runtime data (SGX, OpenEnclave) → `x-ms-sgx-ehd` = base64url of the bytes.
 * - `JSON` runtime data → `x-ms-runtime`, the parsed object re-serialized with sorted keys (MAA's
 *   serialization); init-time data → `x-ms-inittime` the same way. MAA accepted JSON with leading
 *   whitespace and a trailing NUL, so surrounding whitespace and trailing NUL bytes are dropped
 *   before parsing.
 */
import type { Diagnostic } from "@maa-policy/core";
import { diagnostic, emptyRange } from "@maa-policy/core";
import { bytesEqual, isZero, toHex } from "../bytes.js";
import { digest } from "../hash.js";
import { sha256 } from "../intel/verify.js";
import { toBase64Url } from "../input.js";
import type { DataType, EvidenceClaim, VerificationCheck } from "../types.js";

/** A JSON value with the keys of every object sorted (MAA's serialization of `x-ms-runtime`). */
export function sortedJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedJson);
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) {
      Object.defineProperty(out, k, { value: sortedJson((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

/** Parses JSON runtime data: the object, or an error message. */
export function parseJsonData(bytes: Uint8Array): { value?: Record<string, unknown>; error?: string } {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, end)).trim();
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { error: `it is not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return { error: "it is JSON but not an object" };
  return { value: v as Record<string, unknown> };
}

/** The MAA serialization of a JSON data claim: compact, keys sorted. */
export function serializeJsonClaim(v: Record<string, unknown>): string {
  return JSON.stringify(sortedJson(v));
}

const claim = (type: string, value: EvidenceClaim["value"]): EvidenceClaim => ({ type, value, issuer: "AttestationService" });

/** The result of the runtime data step. */
export interface DataResult {
  readonly checks: VerificationCheck[];
  readonly claims: EvidenceClaim[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Checks runtime data against report_data (at absolute offset `reportDataOffset`) and gives its
 * claims. `binaryClaims`: whether `Binary` gives `x-ms-sgx-ehd` (SGX and OpenEnclave only).
 */
export async function runtimeDataStep(
  prefix: string,
  reportData: Uint8Array,
  reportDataOffset: number,
  data: Uint8Array | undefined,
  type: DataType,
  binaryClaims: boolean,
): Promise<DataResult> {
  const checks: VerificationCheck[] = [];
  const claims: EvidenceClaim[] = [];
  const diagnostics: Diagnostic[] = [];
  const id = `${prefix}.runtime-data`;
  const title = "Runtime data bound by report_data[0:32] = SHA-256";
  if (data === undefined) {
    checks.push({ id, title, status: "not-checked", detail: "no runtime data supplied: the binding was not checked and no runtime claims are issued" });
    return { checks, claims, diagnostics };
  }
  const h = await sha256(data);
  if (!bytesEqual(h, reportData.subarray(0, 32))) {
    const m = `report_data[0:32] at offset ${reportDataOffset} is ${toHex(reportData.subarray(0, 32))}, but SHA-256 of the ${data.length} bytes of runtime data is ${toHex(h)}`;
    checks.push({ id, title, status: "failed", detail: m, code: "P5020" });
    diagnostics.push(diagnostic("P5020", { start: reportDataOffset, end: reportDataOffset + 32 }, m));
  } else {
    checks.push({
      id,
      title,
      status: "passed",
      detail: `SHA-256 of the ${data.length} bytes of runtime data equals report_data[0:32] at offset ${reportDataOffset}${isZero(reportData.subarray(32, 64)) ? "; report_data[32:64] is zero" : "; report_data[32:64] is not zero (not covered by the binding)"}`,
    });
  }
  if (type === "JSON") {
    const j = parseJsonData(data);
    if (j.value === undefined) {
      const m = `runtime data of type JSON cannot be read: ${j.error ?? ""}`;
      checks.push({ id: `${prefix}.runtime-data-json`, title: "JSON runtime data is a JSON object", status: "failed", detail: m, code: "P5022" });
      diagnostics.push(diagnostic("P5022", emptyRange(0), m));
    } else claims.push(claim("x-ms-runtime", serializeJsonClaim(j.value)));
  } else if (binaryClaims) {
    claims.push(claim("x-ms-sgx-ehd", toBase64Url(data)));
  }
  return { checks, claims, diagnostics };
}

/**
 * Checks init-time data against the evidence field that binds it (`bound`, at `offset`, compared
 * with `hash` of the data zero-extended) and gives `x-ms-inittime` for JSON.
 */
export async function initTimeDataStep(
  prefix: string,
  data: Uint8Array | undefined,
  type: DataType,
  bound: Uint8Array,
  offset: number,
  field: string,
  hash: "SHA-256" | "SHA-384",
): Promise<DataResult> {
  const checks: VerificationCheck[] = [];
  const claims: EvidenceClaim[] = [];
  const diagnostics: Diagnostic[] = [];
  if (data === undefined) return { checks, claims, diagnostics };
  const id = `${prefix}.init-time-data`;
  const title = `Init-time data bound by ${field} = ${hash}`;
  const h = await digest(hash, data);
  const got = bound.subarray(0, h.length);
  if (!bytesEqual(h, got)) {
    const m = `${field} at offset ${offset} is ${toHex(got)}, but ${hash} of the ${data.length} bytes of init-time data is ${toHex(h)}`;
    checks.push({ id, title, status: "failed", detail: m, code: "P5021" });
    diagnostics.push(diagnostic("P5021", { start: offset, end: offset + h.length }, m));
  } else checks.push({ id, title, status: "passed", detail: `${hash} of the ${data.length} bytes of init-time data equals ${field} at offset ${offset}` });
  if (type === "JSON") {
    const j = parseJsonData(data);
    if (j.value === undefined) {
      const m = `init-time data of type JSON cannot be read: ${j.error ?? ""}`;
      checks.push({ id: `${prefix}.init-time-data-json`, title: "JSON init-time data is a JSON object", status: "failed", detail: m, code: "P5022" });
      diagnostics.push(diagnostic("P5022", emptyRange(0), m));
    } else claims.push(claim("x-ms-inittime", serializeJsonClaim(j.value)));
  }
  return { checks, claims, diagnostics };
}
