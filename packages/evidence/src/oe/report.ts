/**
 * OpenEnclave wrappers (openenclave `include/openenclave/internal/report.h`, `common/attest_plugin.h`):
 *
 * - the legacy `oe_report_header_t` (what MAA `/attest/OpenEnclave` takes as `report`): version
 *   u32 = 1, report_type u32 (1 SGX local, 2 SGX remote), report_size u64, then the SGX quote;
 * - the newer `oe_attestation_header_t` evidence (version u32 = 3, format UUID, data_size u64,
 *   data): for the SGX ECDSA formats the data is the SGX quote, then the custom claims buffer.
 */
import type { Diagnostic } from "@maa-policy/core";
import { ByteReader, toHex } from "../bytes.js";
import { decodeIntelQuote, type IntelQuote } from "../intel/quote.js";
import type { Fields, FieldValue } from "../types.js";

export const OE_REPORT_HEADER_SIZE = 16;
export const OE_ATTESTATION_HEADER_SIZE = 28;

/** OE evidence format UUIDs (`include/openenclave/attestation/sgx/evidence.h`), as hex of their bytes. */
export const OE_FORMATS: Readonly<Record<string, string>> = {
  a3a21e871b4d4014b70aa125d2fbcd8c: "OE_FORMAT_UUID_SGX_ECDSA",
  c8303454d9234c2ca691df7def460a76: "OE_FORMAT_UUID_LEGACY_REPORT_REMOTE",
  "1923d91e12d24c72b22025cd8dace871": "OE_FORMAT_UUID_RAW_SGX_QUOTE_ECDSA",
  "09268c336e0b45e58a2715644d0ef89a": "OE_FORMAT_UUID_SGX_LOCAL_ATTESTATION",
};

/** A decoded OE wrapper and the SGX quote inside it. */
export interface OeEvidence {
  readonly fields: Fields;
  readonly quote: IntelQuote;
  /** The absolute offset of the quote. */
  readonly quoteOffset: number;
}

/** Decodes an OE report (legacy header) or OE evidence (v3 attestation header) with its SGX quote. */
export function decodeOeEvidence(bytes: Uint8Array): { value?: OeEvidence; diagnostics: Diagnostic[] } {
  const r = new ByteReader(bytes, "OE report");
  const version = r.u32(0, "oe_header.version");
  if (version === undefined) return { diagnostics: r.diagnostics };
  if (version === 1) {
    const type = r.u32(4, "oe_report_header.report_type");
    const size = r.u64(8, "oe_report_header.report_size");
    if (type === undefined || size === undefined) return { diagnostics: r.diagnostics };
    if (type !== 2) {
      r.report("P5003", 4, 4, `\`oe_report_header.report_type\` at offset 4 is ${type}: only 2 (SGX remote report) can be attested${type === 1 ? " (1 is a local report)" : ""}`);
      return { diagnostics: r.diagnostics };
    }
    const n = typeof size === "bigint" ? Number.MAX_SAFE_INTEGER : size;
    if (n > bytes.length - OE_REPORT_HEADER_SIZE) {
      r.report("P5001", 8, 8, `OE report truncated: \`oe_report_header.report_size\` at offset 8 is ${size}, ${bytes.length - OE_REPORT_HEADER_SIZE} bytes follow the header`);
      return { diagnostics: r.diagnostics };
    }
    const q = decodeIntelQuote(bytes.subarray(OE_REPORT_HEADER_SIZE, OE_REPORT_HEADER_SIZE + n), OE_REPORT_HEADER_SIZE, "sgx");
    const diagnostics = [...r.diagnostics, ...q.diagnostics];
    if (n < bytes.length - OE_REPORT_HEADER_SIZE) {
      r.report("P5006", OE_REPORT_HEADER_SIZE + n, bytes.length - OE_REPORT_HEADER_SIZE - n, `${bytes.length - OE_REPORT_HEADER_SIZE - n} bytes follow the OE report at offset ${OE_REPORT_HEADER_SIZE + n} (\`report_size\` ${n}); they are ignored`);
      diagnostics.push(...r.diagnostics.slice(-1));
    }
    if (!q.value) return { diagnostics };
    const header: Record<string, FieldValue> = { version, report_type: type, report_size: size };
    return { value: { fields: { oe_report_header: header, quote: q.value.fields }, quote: q.value, quoteOffset: OE_REPORT_HEADER_SIZE }, diagnostics };
  }
  if (version === 3) {
    const format = r.bytesAt(4, 16, "oe_attestation_header.format_id");
    const size = r.u64(20, "oe_attestation_header.data_size");
    if (format === undefined || size === undefined) return { diagnostics: r.diagnostics };
    const id = toHex(format);
    const name = OE_FORMATS[id];
    if (name !== "OE_FORMAT_UUID_SGX_ECDSA" && name !== "OE_FORMAT_UUID_RAW_SGX_QUOTE_ECDSA" && name !== "OE_FORMAT_UUID_LEGACY_REPORT_REMOTE") {
      r.report("P5003", 4, 16, `\`oe_attestation_header.format_id\` at offset 4 is ${id}${name ? ` (${name})` : ""}: only the SGX ECDSA formats can be attested`);
      return { diagnostics: r.diagnostics };
    }
    const n = typeof size === "bigint" ? Number.MAX_SAFE_INTEGER : size;
    if (n > bytes.length - OE_ATTESTATION_HEADER_SIZE) {
      r.report("P5001", 20, 8, `OE evidence truncated: \`oe_attestation_header.data_size\` at offset 20 is ${size}, ${bytes.length - OE_ATTESTATION_HEADER_SIZE} bytes follow the header`);
      return { diagnostics: r.diagnostics };
    }
    const data = bytes.subarray(OE_ATTESTATION_HEADER_SIZE, OE_ATTESTATION_HEADER_SIZE + n);
    const header: Record<string, FieldValue> = { version, format_id: id, format: name, data_size: size };
    if (name === "OE_FORMAT_UUID_LEGACY_REPORT_REMOTE") {
      const inner = decodeOeEvidence(data);
      const shifted = inner.diagnostics.map((d) => ({ ...d, range: { start: d.range.start + OE_ATTESTATION_HEADER_SIZE, end: d.range.end + OE_ATTESTATION_HEADER_SIZE } }));
      if (!inner.value) return { diagnostics: [...r.diagnostics, ...shifted] };
      return { value: { fields: { oe_attestation_header: header, ...inner.value.fields }, quote: inner.value.quote, quoteOffset: OE_ATTESTATION_HEADER_SIZE + inner.value.quoteOffset }, diagnostics: [...r.diagnostics, ...shifted] };
    }
    // The SGX quote, then (SGX_ECDSA) the custom claims buffer, which the quote's report_data hashes.
    const q = decodeIntelQuote(data, OE_ATTESTATION_HEADER_SIZE, "sgx");
    const diagnostics = [...r.diagnostics, ...q.diagnostics.filter((d) => d.code !== "P5006")];
    if (!q.value) return { diagnostics };
    const claimsBuffer = data.subarray(q.value.end);
    return {
      value: { fields: { oe_attestation_header: header, quote: q.value.fields, custom_claims_buffer: toHex(claimsBuffer) }, quote: q.value, quoteOffset: OE_ATTESTATION_HEADER_SIZE },
      diagnostics,
    };
  }
  r.report("P5002", 0, 4, `OE \`version\` at offset 0 is ${version}: expected 1 (oe_report_header) or 3 (oe_attestation_header)`);
  return { diagnostics: r.diagnostics };
}
