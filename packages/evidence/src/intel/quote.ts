/**
 * Intel DCAP quotes: SGX ECDSA quote v3 and v4 (`sgx_quote_3.h`, `sgx_quote_4.h`), TDX quote v4 and
 * v5 (`sgx_quote_4.h`, `sgx_quote_5.h`). One decoder, since the header, the signature data and the
 * certification data are shared; the body is an SGX report body (384 bytes) or a TD quote body
 * (584 bytes, or 648 for TDX 1.5).
 *
 * Never throws: every problem is a diagnostic naming the field and its offset.
 */
import { ByteReader, toHex } from "../bytes.js";
import { readSgxReportBody, SGX_REPORT_BODY_SIZE, type SgxReportBody } from "../sgx/report-body.js";
import { pemSpans } from "./x509.js";
import { readTdxReportBody, TDX15_BODY_SIZE, TDX_BODY_SIZE, type TdxReportBody } from "../tdx/report-body.js";
import type { Diagnostic } from "@maa-policy/core";
import type { Fields, FieldValue } from "../types.js";

export const TEE_SGX = 0x00000000;
export const TEE_TDX = 0x00000081;
export const ATT_KEY_ECDSA_P256 = 2;
export const INTEL_QE_VENDOR_ID = "939a7233f79c4ca9940a0db3957f0607";

/** Certification data types (`sgx_ql_cert_key_type_t`). */
export const CERT_DATA_TYPES: Readonly<Record<number, string>> = {
  1: "PPID cleartext",
  2: "PPID RSA-2048 encrypted",
  3: "PPID RSA-3072 encrypted",
  4: "PCK cleartext certificate",
  5: "PCK certificate chain",
  6: "QE report certification data",
  7: "platform manifest",
};

/** At most this many certificates of a PCK chain are read (a real chain has 3). */
export const MAX_CHAIN_CERTIFICATES = 10;

/** A PEM certificate found in certification data, with its absolute byte range. */
export interface PemBlock {
  readonly pem: string;
  readonly start: number;
  readonly end: number;
}

/** A decoded Intel quote: the JSON-able fields and the byte views verification needs. */
export interface IntelQuote {
  readonly tee: "sgx" | "tdx";
  readonly version: number;
  readonly fields: Fields;
  readonly sgxBody?: SgxReportBody;
  readonly tdxBody?: TdxReportBody;
  /** The absolute offset of the report body (48, or 54 in a v5 quote, plus the quote's own offset). */
  readonly bodyOffset: number;
  /** The bytes the attestation key signs (header and body). */
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
  readonly signatureOffset: number;
  readonly attestKey: Uint8Array;
  readonly qeReport: SgxReportBody;
  readonly qeReportBytes: Uint8Array;
  readonly qeReportOffset: number;
  readonly qeReportSignature: Uint8Array;
  readonly qeReportSignatureOffset: number;
  readonly qeAuthData: Uint8Array;
  /** The PEM certificates of the type-5 PCK chain (leaf first). */
  readonly pckChain: readonly PemBlock[];
  readonly certDataOffset: number;
  readonly certDataSize: number;
  /** The quote's length: the bytes after it are not part of it. */
  readonly end: number;
  /** The whole quote (without trailing bytes). */
  readonly bytes: Uint8Array;
}

/** The PEM certificates in a certification data buffer (ASCII text, NUL-terminated). */
function pemBlocks(data: Uint8Array, base: number): PemBlock[] {
  const text = new TextDecoder("latin1").decode(data);
  return pemSpans(text).map(([b, e]) => ({ pem: text.slice(b, e), start: base + b, end: base + e }));
}

interface CertData {
  readonly type: number;
  readonly size: number;
  readonly offset: number;
  readonly data: Uint8Array;
}

function readCertData(r: ByteReader, off: number, limit: number, prefix: string): CertData | undefined {
  const type = r.u16(off, `${prefix}certification_data_type`);
  const size = r.u32(off + 2, `${prefix}certification_data_size`);
  if (type === undefined || size === undefined) return undefined;
  const data = r.bytesAt(off + 6, size, `${prefix}certification_data`);
  if (data === undefined) return undefined;
  if (off + 6 + size > limit) {
    r.report("P5005", off + 2, 4, `\`${prefix}certification_data_size\` at offset ${r.base + off + 2} is ${size}: it runs past the end of the signature data at offset ${r.base + limit}`);
    return undefined;
  }
  return { type, size, offset: off + 6, data };
}

/**
 * Decodes an Intel quote (SGX v3/v4, TDX v4/v5) at the start of `bytes`. `base` is the offset of
 * `bytes[0]` in the whole evidence (an OE report puts the quote at 16). Trailing bytes after the
 * signature data give a P5006 warning.
 */
export function decodeIntelQuote(bytes: Uint8Array, base = 0, expect?: "sgx" | "tdx"): { value?: IntelQuote; diagnostics: Diagnostic[] } {
  const r = new ByteReader(bytes, "quote", base);
  const d = r.diagnostics;
  const version = r.u16(0, "version");
  if (version === undefined) return { diagnostics: d };
  if (version !== 3 && version !== 4 && version !== 5) {
    r.report("P5002", 0, 2, `quote \`version\` at offset ${base} is ${version}: only SGX quote versions 3 and 4 and TDX quote versions 4 and 5 are read`);
    return { diagnostics: d };
  }
  const attKeyType = r.u16(2, "att_key_type");
  if (attKeyType === undefined) return { diagnostics: d };
  if (attKeyType !== ATT_KEY_ECDSA_P256) {
    r.report("P5003", 2, 2, `quote \`att_key_type\` at offset ${base + 2} is ${attKeyType}: only 2 (ECDSA P-256) is supported${attKeyType === 3 ? " (3 is ECDSA P-384)" : ""}`);
    return { diagnostics: d };
  }
  const word4 = r.u32(4, version === 3 ? "att_key_data_0" : "tee_type");
  if (word4 === undefined) return { diagnostics: d };
  let tee: "sgx" | "tdx" = "sgx";
  if (version !== 3) {
    if (word4 === TEE_TDX) tee = "tdx";
    else if (word4 !== TEE_SGX) {
      r.report("P5003", 4, 4, `quote \`tee_type\` at offset ${base + 4} is 0x${word4.toString(16)}: expected 0x0 (SGX) or 0x81 (TDX)`);
      return { diagnostics: d };
    }
  }
  if (expect !== undefined && expect !== tee) {
    r.report("P5004", version === 3 ? 0 : 4, version === 3 ? 2 : 4, `the quote is ${tee === "tdx" ? "a TDX" : "an SGX"} quote (version ${version}${version === 3 ? "" : `, tee_type 0x${word4.toString(16)}`}), not ${expect === "tdx" ? "a TDX" : "an SGX"} quote`);
    return { diagnostics: d };
  }
  const header: Record<string, FieldValue> = { version, att_key_type: attKeyType };
  if (version === 3) {
    header["att_key_data_0"] = word4;
    header["qe_svn"] = r.u16(8, "qe_svn") ?? null;
    header["pce_svn"] = r.u16(10, "pce_svn") ?? null;
  } else {
    header["tee_type"] = word4;
    if (tee === "sgx") {
      header["qe_svn"] = r.u16(8, "qe_svn") ?? null;
      header["pce_svn"] = r.u16(10, "pce_svn") ?? null;
    } else {
      header["reserved_1"] = r.hex(8, 2, "reserved_1") ?? null;
      header["reserved_2"] = r.hex(10, 2, "reserved_2") ?? null;
    }
  }
  header["qe_vendor_id"] = r.hex(12, 16, "qe_vendor_id") ?? null;
  header["user_data"] = r.hex(28, 20, "user_data") ?? null;
  if (!r.need(0, 48, "header")) return { diagnostics: d };

  // Body.
  let bodyOff = 48;
  let bodySize = tee === "sgx" ? SGX_REPORT_BODY_SIZE : TDX_BODY_SIZE;
  const fields: Record<string, FieldValue> = { header };
  if (version === 5) {
    const bodyType = r.u16(48, "body_type");
    const size = r.u32(50, "body_size");
    if (bodyType === undefined || size === undefined) return { diagnostics: d };
    const expected = bodyType === 1 ? SGX_REPORT_BODY_SIZE : bodyType === 2 ? TDX_BODY_SIZE : bodyType === 3 ? TDX15_BODY_SIZE : undefined;
    if (expected === undefined || (bodyType === 1) !== (tee === "sgx")) {
      r.report("P5005", 48, 2, `quote \`body_type\` at offset ${base + 48} is ${bodyType}: expected ${tee === "sgx" ? "1 (SGX)" : "2 (TDX 1.0) or 3 (TDX 1.5)"}`);
      return { diagnostics: d };
    }
    if (size !== expected) {
      r.report("P5005", 50, 4, `quote \`body_size\` at offset ${base + 50} is ${size}: body type ${bodyType} has ${expected} bytes`);
      return { diagnostics: d };
    }
    fields["body_type"] = bodyType;
    fields["body_size"] = size;
    bodyOff = 54;
    bodySize = size;
  }
  let sgxBody: SgxReportBody | undefined;
  let tdxBody: TdxReportBody | undefined;
  if (tee === "sgx") {
    sgxBody = readSgxReportBody(r, bodyOff, "report_body");
    if (sgxBody === undefined) return { diagnostics: d };
    fields["report_body"] = sgxBody.fields;
  } else {
    tdxBody = readTdxReportBody(r, bodyOff, bodySize);
    if (tdxBody === undefined) return { diagnostics: d };
    fields["td_quote_body"] = tdxBody.fields;
  }
  const lenOff = bodyOff + bodySize;
  const sigLen = r.u32(lenOff, "signature_data_len");
  if (sigLen === undefined) return { diagnostics: d };
  fields["signature_data_len"] = sigLen;
  const sigOff = lenOff + 4;
  if (!r.need(sigOff, sigLen, "signature_data")) return { diagnostics: d };
  const end = sigOff + sigLen;

  // Signature data.
  const sd: Record<string, FieldValue> = {};
  const signature = r.bytesAt(sigOff, 64, "signature_data.signature");
  const attestKey = r.bytesAt(sigOff + 64, 64, "signature_data.attest_pub_key");
  if (signature === undefined || attestKey === undefined) return { diagnostics: d };
  sd["signature"] = toHex(signature);
  sd["attest_pub_key"] = toHex(attestKey);
  // The QE report certification data: inline (v3) or inside certification data of type 6 (v4, v5).
  let qeOff = sigOff + 128;
  let qeLimit = end;
  let prefix = "signature_data.";
  if (version !== 3) {
    const outer = readCertData(r, sigOff + 128, end, "signature_data.");
    if (outer === undefined) return { diagnostics: d };
    sd["certification_data_type"] = outer.type;
    sd["certification_data_size"] = outer.size;
    if (outer.type !== 6) {
      r.report("P5003", sigOff + 128, 2, `\`signature_data.certification_data_type\` at offset ${base + sigOff + 128} is ${outer.type} (${CERT_DATA_TYPES[outer.type] ?? "unknown"}): a version ${version} quote needs 6 (QE report certification data)`);
      return { diagnostics: d };
    }
    qeOff = outer.offset;
    qeLimit = outer.offset + outer.size;
    prefix = "qe_report_certification_data.";
  }
  const qeReport = readSgxReportBody(r, qeOff, `${prefix}qe_report`);
  if (qeReport === undefined) return { diagnostics: d };
  const qeSig = r.bytesAt(qeOff + 384, 64, `${prefix}qe_report_signature`);
  const authSize = r.u16(qeOff + 448, `${prefix}qe_auth_data_size`);
  if (qeSig === undefined || authSize === undefined) return { diagnostics: d };
  const auth = r.bytesAt(qeOff + 450, authSize, `${prefix}qe_auth_data`);
  if (auth === undefined) return { diagnostics: d };
  const inner = readCertData(r, qeOff + 450 + authSize, qeLimit, prefix);
  if (inner === undefined) return { diagnostics: d };
  const qe: Record<string, FieldValue> = {
    qe_report: qeReport.fields,
    qe_report_signature: toHex(qeSig),
    qe_auth_data_size: authSize,
    qe_auth_data: toHex(auth),
    certification_data_type: inner.type,
    certification_data_size: inner.size,
  };
  if (inner.type !== 5) {
    r.report("P5003", qeOff + 450 + authSize, 2, `\`${prefix}certification_data_type\` at offset ${base + qeOff + 450 + authSize} is ${inner.type} (${CERT_DATA_TYPES[inner.type] ?? "unknown"}): only 5 (PCK certificate chain) can be verified offline`);
    return { diagnostics: d };
  }
  const blocks = pemBlocks(inner.data, base + inner.offset);
  if (blocks.length === 0) {
    r.report("P5005", inner.offset, inner.size, `\`${prefix}certification_data\` at offset ${base + inner.offset} holds no PEM certificate`);
    return { diagnostics: d };
  }
  // A PCK chain has 3 certificates; a hostile quote could hold thousands, each costly to decode.
  const pckChain = blocks.slice(0, MAX_CHAIN_CERTIFICATES);
  if (blocks.length > MAX_CHAIN_CERTIFICATES) {
    const extra = blocks[MAX_CHAIN_CERTIFICATES] as PemBlock;
    r.report("P5005", extra.start - base, inner.offset + inner.size - (extra.start - base), `\`${prefix}certification_data\` at offset ${base + inner.offset} holds ${blocks.length} PEM certificates: only the first ${MAX_CHAIN_CERTIFICATES} are read`);
  }
  qe["pck_certificate_chain"] = pckChain.map((p) => p.pem);
  if (version === 3) Object.assign(sd, qe);
  else sd["qe_report_certification_data"] = qe;
  fields["signature_data"] = sd;
  if (end < bytes.length) {
    r.report("P5006", end, bytes.length - end, `${bytes.length - end} bytes follow the end of the quote at offset ${base + end} (\`signature_data_len\` ${sigLen}); they are ignored`);
  }
  const value: IntelQuote = {
    tee,
    version,
    fields,
    ...(sgxBody ? { sgxBody } : {}),
    ...(tdxBody ? { tdxBody } : {}),
    bodyOffset: base + bodyOff,
    signed: bytes.subarray(0, lenOff),
    signature,
    signatureOffset: base + sigOff,
    attestKey,
    qeReport,
    qeReportBytes: bytes.subarray(qeOff, qeOff + 384),
    qeReportOffset: base + qeOff,
    qeReportSignature: qeSig,
    qeReportSignatureOffset: base + qeOff + 384,
    qeAuthData: auth,
    pckChain,
    certDataOffset: base + inner.offset,
    certDataSize: inner.size,
    end,
    bytes: bytes.subarray(0, end),
  };
  return { value, diagnostics: d };
}
