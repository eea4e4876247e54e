/**
 * Input forms, auto-detected: raw binary evidence, hex text, base64 and base64url text, and the
 * JSON body of a real attest request (`quote` or `report`, `runtimeData`, `initTimeData`, `nonce`,
 * `draftPolicyForAttestation`; the 2020 preview's `Quote` and `EnclaveHeldData` too), so a user can
 * save what their app sends to MAA and dry-run it. Never throws.
 */
import { diagnostic, emptyRange, range, type Diagnostic } from "@maa-policy/core";
import type { DataType, EvidenceType, InputForm } from "./types.js";

/** What `decodeEvidenceInput` found. */
export interface DecodedInput {
  /** The evidence bytes (for an SNP JSON report: its UTF-8 JSON text). Empty when nothing was recognised. */
  readonly bytes: Uint8Array;
  readonly form: InputForm;
  /** The type the input says or its bytes show, when it can be told. */
  readonly type?: EvidenceType;
  readonly runtimeData?: Uint8Array;
  readonly runtimeDataType?: DataType;
  readonly initTimeData?: Uint8Array;
  readonly initTimeDataType?: DataType;
  readonly nonce?: string;
  readonly draftPolicyForAttestation?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Decodes base64 or base64url text (padding optional, whitespace ignored); undefined when it is neither. */
export function decodeBase64Any(text: string): Uint8Array | undefined {
  const t = text.replace(/\s+/g, "");
  if (t.length === 0 || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(t)) return undefined;
  if (/[+/]/.test(t) && /[-_]/.test(t)) return undefined;
  const std = t.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  if (std.length % 4 === 1) return undefined;
  try {
    const bin = atob(std + "=".repeat((4 - (std.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

/** base64url without padding, as MAA writes `x-ms-sgx-ehd`. */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i] as number);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const utf8 = (b: Uint8Array) => new TextDecoder("utf-8", { fatal: false }).decode(b);

/**
 * Whether the bytes look like text: printable ASCII and whitespace (optional UTF-8 BOM), or JSON
 * (first character `{`) in valid UTF-8, whose strings may hold any character (a draft policy).
 */
function isText(b: Uint8Array): boolean {
  let i = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  if (b.length === i) return false;
  const start = i;
  let ascii = true;
  for (; i < b.length; i++) {
    const c = b[i] as number;
    if (c === 9 || c === 10 || c === 13 || (c >= 0x20 && c < 0x7f)) continue;
    ascii = false;
    break;
  }
  if (ascii) return true;
  let j = start;
  while (j < b.length && (b[j] === 0x20 || b[j] === 0x09 || b[j] === 0x0a || b[j] === 0x0d)) j++;
  if (b[j] !== 0x7b) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

const u16 = (b: Uint8Array, o: number) => (o + 2 <= b.length ? (b[o] as number) | ((b[o + 1] as number) << 8) : -1);
const u32 = (b: Uint8Array, o: number) => (o + 4 <= b.length ? u16(b, o) + u16(b, o + 2) * 0x10000 : -1);

/**
 * The evidence type the bytes show, when they show one: an OE report header (version 1, or the v3
 * attestation header), an SGX quote (version 3, or 4 with tee_type 0), a TDX quote (version 4 or
 * 5 with tee_type 0x81), an SNP JSON report or a 1184-byte SNP report, an Azure HCL report.
 */
export function sniffEvidenceType(b: Uint8Array): EvidenceType | undefined {
  if (b.length >= 4 && b[0] === 0x48 && b[1] === 0x43 && b[2] === 0x4c && b[3] === 0x41) {
    // "HCLA": the IGVM report type at 1216 + 8 tells SNP (2) from TDX (4).
    return u32(b, 1224) === 4 ? "TdxVm" : "SevSnpVm";
  }
  const first = b.find((c) => c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d);
  if (first === 0x7b && /"SnpReport"/.test(utf8(b.subarray(0, Math.min(b.length, 4096))))) return "SevSnpVm";
  const v32 = u32(b, 0);
  // An OE report header is followed by an SGX quote (version 3): this tells it from an SNP report v1.
  if ((v32 === 1 && (u32(b, 4) === 1 || u32(b, 4) === 2) && u16(b, 16) === 3) || (v32 === 3 && b.length >= 28 && u16(b, 2) === 0)) return "OpenEnclave";
  const v = u16(b, 0);
  if (v === 3 && u16(b, 2) === 2) return "SgxEnclave";
  if ((v === 4 || v === 5) && u16(b, 2) === 2) return u32(b, 4) === 0x81 ? "TdxVm" : u32(b, 4) === 0 ? "SgxEnclave" : undefined;
  if (b.length === 0x4a0 && v32 >= 1 && v32 <= 5) return "SevSnpVm";
  return undefined;
}

interface DataField {
  data?: Uint8Array;
  type?: DataType;
}

function readDataField(v: unknown, name: string, diags: Diagnostic[]): DataField {
  if (v === undefined || v === null) return {};
  if (typeof v === "string") {
    const data = decodeBase64Any(v);
    if (data === undefined) diags.push(diagnostic("P5004", emptyRange(0), `request \`${name}\` is not base64url text`));
    return data ? { data } : {};
  }
  if (typeof v !== "object" || Array.isArray(v)) {
    diags.push(diagnostic("P5004", emptyRange(0), `request \`${name}\` must be an object \`{"data", "dataType"}\``));
    return {};
  }
  const o = v as Record<string, unknown>;
  const out: DataField = {};
  if (typeof o["data"] === "string") {
    const data = decodeBase64Any(o["data"]);
    if (data === undefined) diags.push(diagnostic("P5004", emptyRange(0), `request \`${name}.data\` is not base64url text`));
    else out.data = data;
  } else if (o["data"] !== undefined) diags.push(diagnostic("P5004", emptyRange(0), `request \`${name}.data\` must be a base64url string`));
  const t = o["dataType"];
  if (typeof t === "string") {
    const lower = t.toLowerCase();
    if (lower === "binary") out.type = "Binary";
    else if (lower === "json") out.type = "JSON";
    else diags.push(diagnostic("P5004", emptyRange(0), `request \`${name}.dataType\` is \`${t}\`: expected \`Binary\` or \`JSON\``));
  }
  return out;
}

/** Case-insensitive member lookup (the 2020 preview wrote `Quote`, today's API `quote`). */
function member(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name];
  const k = Object.keys(o).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : o[k];
}

function fromRequest(o: Record<string, unknown>, diags: Diagnostic[]): DecodedInput {
  const raw = member(o, "quote") ?? member(o, "report");
  const which = member(o, "quote") !== undefined ? "quote" : "report";
  const base: { -readonly [K in keyof DecodedInput]: DecodedInput[K] } = { bytes: new Uint8Array(0), form: "request-json", diagnostics: diags };
  if (typeof raw !== "string") {
    diags.push(diagnostic("P5004", emptyRange(0), "the JSON is not an attest request: it has no `quote` or `report` string (nor `SnpReport`)"));
    return base;
  }
  const bytes = decodeBase64Any(raw);
  if (bytes === undefined) {
    diags.push(diagnostic("P5004", emptyRange(0), `request \`${which}\` is not base64url text`));
    return base;
  }
  base.bytes = bytes;
  const t = sniffEvidenceType(bytes);
  if (t) base.type = t;
  const rt = readDataField(member(o, "runtimeData"), "runtimeData", diags);
  if (rt.data) base.runtimeData = rt.data;
  if (rt.type) base.runtimeDataType = rt.type;
  const ehd = member(o, "EnclaveHeldData");
  if (rt.data === undefined && typeof ehd === "string") {
    // The 2020 preview API: `EnclaveHeldData` was binary runtime data.
    const d = decodeBase64Any(ehd);
    if (d) {
      base.runtimeData = d;
      base.runtimeDataType = "Binary";
    }
  }
  const it = readDataField(member(o, "initTimeData"), "initTimeData", diags);
  if (it.data) base.initTimeData = it.data;
  if (it.type) base.initTimeDataType = it.type;
  const nonce = member(o, "nonce");
  if (typeof nonce === "string") base.nonce = nonce;
  const draft = member(o, "draftPolicyForAttestation");
  if (typeof draft === "string") base.draftPolicyForAttestation = draft;
  return base;
}

/** Decodes evidence input in any supported form. */
export function decodeEvidenceInput(input: Uint8Array | string): DecodedInput {
  const diags: Diagnostic[] = [];
  let bytes: Uint8Array;
  if (typeof input === "string") bytes = new TextEncoder().encode(input);
  else bytes = input;
  if (bytes.length === 0) {
    diags.push(diagnostic("P5004", emptyRange(0), "the evidence is empty"));
    return { bytes, form: "binary", diagnostics: diags };
  }
  if (!isText(bytes)) {
    const t = sniffEvidenceType(bytes);
    return { bytes, form: "binary", ...(t ? { type: t } : {}), diagnostics: diags };
  }
  const text = utf8(bytes).replace(/^\uFEFF/, "");
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      diags.push(diagnostic("P5004", range(0, bytes.length), `the input looks like JSON but does not parse: ${e instanceof Error ? e.message : String(e)}`));
      return { bytes: new Uint8Array(0), form: "request-json", diagnostics: diags };
    }
    if (typeof json === "object" && json !== null && !Array.isArray(json)) {
      const o = json as Record<string, unknown>;
      if ("SnpReport" in o) return { bytes, form: "snp-json", type: "SevSnpVm", diagnostics: diags };
      return fromRequest(o, diags);
    }
    diags.push(diagnostic("P5004", range(0, bytes.length), "the JSON input is not an object (an attest request body or an SNP report)"));
    return { bytes: new Uint8Array(0), form: "request-json", diagnostics: diags };
  }
  const compact = trimmed.replace(/\s+/g, "");
  if (/^(0x)?[0-9a-fA-F]+$/.test(compact) && compact.replace(/^0x/, "").length % 2 === 0) {
    const h = compact.replace(/^0x/, "");
    const out = new Uint8Array(h.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
    const t = sniffEvidenceType(out);
    return { bytes: out, form: "hex", ...(t ? { type: t } : {}), diagnostics: diags };
  }
  const b = decodeBase64Any(compact);
  if (b !== undefined) {
    const form: InputForm = /[-_]/.test(compact) || !/=$/.test(compact) && !/[+/]/.test(compact) ? "base64url" : "base64";
    // base64 of an SNP JSON report (the `report` string of /attest/SevSnpVm).
    if (isText(b) && /^\s*\{/.test(utf8(b.subarray(0, 64)))) {
      const inner = decodeEvidenceInput(b);
      return { ...inner, form: inner.form === "snp-json" ? "snp-json" : inner.form };
    }
    const t = sniffEvidenceType(b);
    return { bytes: b, form, ...(t ? { type: t } : {}), diagnostics: diags };
  }
  diags.push(diagnostic("P5004", range(0, Math.min(bytes.length, 64)), "the input is text but neither hex, base64, base64url nor JSON"));
  return { bytes: new Uint8Array(0), form: "binary", diagnostics: diags };
}
