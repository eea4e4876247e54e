/**
 * What `maa-policy evidence`, `maa-policy eval --evidence` and evidence test cases share: the
 * evidence options, reading the files they name (the evidence package is pure, so every byte is
 * read here), and the pretty and JSON renderings of an appraisal.
 */
import {
  appraiseEvidence,
  parseIsoTime,
  readEvidenceOptionText,
  type Appraisal,
  type AppraiseOptions,
  type EvidenceClaim,
  type EvidenceOptionName,
  type EvidenceTextOptions,
  type EvidenceType,
  type FieldValue,
  type VerificationCheck,
} from "@maa-policy/evidence";
import type { Diagnostic } from "@maa-policy/core";
import { InputError, UsageError, type CliIo } from "../command.js";
import { readBinary } from "./files.js";

/** The `parseArgs` options every evidence front end takes. */
export const EVIDENCE_ARGS = {
  type: { type: "string" },
  "runtime-data": { type: "string" },
  "runtime-data-type": { type: "string" },
  "init-time-data": { type: "string" },
  "init-time-data-type": { type: "string" },
  collateral: { type: "string" },
  nonce: { type: "string" },
  at: { type: "string" },
  "oe-quotehash": { type: "string" },
} as const;

/** The help text of the evidence options (shared by `evidence` and `eval --evidence`). */
export const EVIDENCE_OPTIONS_HELP = `  --type <T>                   SgxEnclave, OpenEnclave, SevSnpVm or TdxVm; optional when the
                               input says it (an attest request body, an OpenEnclave report,
                               an SEV-SNP JSON report)
  --runtime-data <file>        the runtime data (its bytes; report_data[0:32] must be their SHA-256)
  --runtime-data-type <binary|json>
                               Binary gives x-ms-sgx-ehd, JSON gives x-ms-runtime (default: the
                               request body's dataType, else binary for SGX/OpenEnclave, json
                               for SEV-SNP/TDX)
  --init-time-data <file>      the init-time data
  --init-time-data-type <binary|json>
  --collateral <file>          verification collateral (Intel PCS TCB info, QE identity, CRLs;
                               see docs/evidence.md); without it those checks are not made
  --nonce <text>               the request nonce (becomes the token's nonce)
  --at <ISO-TIME>              verify at this time (certificate validity, collateral freshness),
                               e.g. 2021-04-17T12:00:00Z; default: now
  --oe-quotehash <report|quote>
                               OpenEnclave: what x-ms-sgx-collateral.quotehash hashes: the whole
                               OE report (the service since 2022, default) or the inner SGX
                               quote (the 2021 service)`;

/** Evidence options as given on the command line or in a test case (file paths unresolved). */
export interface EvidenceArgs {
  readonly type?: string | undefined;
  readonly runtimeData?: string | undefined;
  readonly runtimeDataType?: string | undefined;
  readonly initTimeData?: string | undefined;
  readonly initTimeDataType?: string | undefined;
  readonly collateral?: string | undefined;
  readonly nonce?: string | undefined;
  readonly at?: string | undefined;
  readonly oeQuoteHash?: string | undefined;
}

/** The evidence option values of a `parseArgs` result. */
export function evidenceArgsOf(values: Record<string, unknown>): EvidenceArgs {
  const s = (k: string): string | undefined => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  return {
    type: s("type"),
    runtimeData: s("runtime-data"),
    runtimeDataType: s("runtime-data-type"),
    initTimeData: s("init-time-data"),
    initTimeDataType: s("init-time-data-type"),
    collateral: s("collateral"),
    nonce: s("nonce"),
    at: s("at"),
    oeQuoteHash: s("oe-quotehash"),
  };
}

/** Whether any evidence option other than the evidence itself was given (for `eval` without `--evidence`). */
export function hasEvidenceArgs(a: EvidenceArgs): boolean {
  return Object.values(a).some((v) => v !== undefined);
}

/** How a mistake in the evidence options is reported: a usage error on the command line, a test-file error in a test. */
export type OptionError = (option: string, message: string) => Error;

/** Command-line flavour of `OptionError`. */
export const usageOptionError: OptionError = (option, message) => new UsageError(`--${option}: ${message}`);

/** The command-line name of each evidence option read by `readEvidenceOptionText`. */
const CLI_NAMES: Record<EvidenceOptionName, string> = {
  type: "type",
  runtimeDataType: "runtime-data-type",
  initTimeDataType: "init-time-data-type",
  nonce: "nonce",
  at: "at",
  openEnclaveQuoteHash: "oe-quotehash",
};

/** Reads the evidence options of `args` (no file is read); a mistake is `error(option, message)`, the option named as on the command line. */
export function evidenceOptionsOf(args: EvidenceArgs, error: OptionError = usageOptionError): EvidenceTextOptions {
  const r = readEvidenceOptionText({ type: args.type, runtimeDataType: args.runtimeDataType, initTimeDataType: args.initTimeDataType, nonce: args.nonce, at: args.at, openEnclaveQuoteHash: args.oeQuoteHash });
  if (!r.ok) throw error(CLI_NAMES[r.option], r.message);
  return r.options;
}

/** Reads a time option (`--at`, `--now`): see `parseIsoTime`. */
export function parseAt(text: string, error: OptionError = usageOptionError, option = "at"): Date {
  const d = parseIsoTime(text);
  if (typeof d === "string") throw error(option, d);
  return d;
}

/** The evidence and the options of one appraisal, with every file read. */
export interface EvidenceRequest {
  /** The evidence as shown to the user (a path or `<stdin>`). */
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly options: AppraiseOptions;
}

/**
 * Reads the evidence file and the files its options name (`resolve` turns an option path into
 * what `readBinary` reads: relative to the working directory on the command line, to the test
 * file in a test). Standard input (`-`) may hold only one of them.
 */
export async function readEvidenceRequest(
  evidenceFile: string,
  args: EvidenceArgs,
  io: CliIo,
  options: { readonly error?: OptionError; readonly resolve?: (p: string) => string; readonly now?: () => Date } = {},
): Promise<EvidenceRequest> {
  const error = options.error ?? usageOptionError;
  const resolve = options.resolve ?? ((p: string) => p);
  const stdinUsers = [
    ["evidence", evidenceFile],
    ["runtime-data", args.runtimeData],
    ["init-time-data", args.initTimeData],
    ["collateral", args.collateral],
  ].filter(([, v]) => v === "-");
  if (stdinUsers.length > 1) throw error(stdinUsers[1]?.[0] as string, `standard input can hold only one file (it is already the ${stdinUsers[0]?.[0]})`);
  // Validate every option before reading any file, so a typo is reported first.
  const { at, ...textOptions } = evidenceOptionsOf(args, error);
  const now = at ?? (options.now ?? (() => new Date()))();
  const read = (p: string, what: string) => readBinary(p === "-" ? "-" : resolve(p), io, what);
  const evidence = await read(evidenceFile, "evidence");
  if (evidence.bytes.length === 0) throw new InputError(`${evidence.path}: the evidence file is empty`);
  const runtimeData = args.runtimeData !== undefined ? (await read(args.runtimeData, "runtime data")).bytes : undefined;
  const initTimeData = args.initTimeData !== undefined ? (await read(args.initTimeData, "init-time data")).bytes : undefined;
  const collateral = args.collateral !== undefined ? (await read(args.collateral, "collateral")).bytes : undefined;
  const appraise: AppraiseOptions = {
    now,
    ...textOptions,
    ...(runtimeData !== undefined ? { runtimeData } : {}),
    ...(initTimeData !== undefined ? { initTimeData } : {}),
    ...(collateral !== undefined ? { collateral } : {}),
  };
  return { path: evidence.path, bytes: evidence.bytes, options: appraise };
}

/** Appraises a request (the package never throws on bytes; an exception here is a bug and surfaces as one). */
export async function appraise(request: EvidenceRequest): Promise<Appraisal> {
  return await appraiseEvidence(request.bytes, request.options);
}

// ---------------------------------------------------------------------------------------------
// JSON

/** A claim in the claims-file format (docs/claims-input.md): integers beyond 2^53 as decimal strings. */
export interface ClaimsFileClaim {
  readonly type: string;
  readonly value: boolean | number | string;
  readonly valueType: "Boolean" | "Integer" | "String";
  readonly issuer: string;
}

/** An evidence claim in the claims-file format. */
export function claimToClaimsFile(c: EvidenceClaim): ClaimsFileClaim {
  const v = c.value;
  if (typeof v === "bigint") return { type: c.type, value: v.toString(), valueType: "Integer", issuer: c.issuer };
  return { type: c.type, value: v, valueType: typeof v === "boolean" ? "Boolean" : typeof v === "number" ? "Integer" : "String", issuer: c.issuer };
}

/** A field value as JSON (bigints become decimal strings). */
export function fieldToJson(v: FieldValue): unknown {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return v.map(fieldToJson);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, FieldValue>).map(([k, x]) => [k, fieldToJson(x)]));
  return v;
}

/** A byte-range diagnostic as JSON. */
export function byteDiagnosticToJson(d: Diagnostic): { code: string; severity: string; message: string; range: { start: number; end: number } } {
  return { code: d.code, severity: d.severity, message: d.message, range: { start: d.range.start, end: d.range.end } };
}

/** The JSON printed by `maa-policy evidence --format json`. */
export interface AppraisalJson {
  readonly type: EvidenceType;
  readonly verified: boolean;
  readonly checks: readonly VerificationCheck[];
  readonly claims: readonly ClaimsFileClaim[];
  readonly fields: unknown;
  readonly diagnostics: readonly ReturnType<typeof byteDiagnosticToJson>[];
}

/** An appraisal in the JSON form of `maa-policy evidence --format json`. */
export function appraisalToJson(a: Appraisal): AppraisalJson {
  return {
    type: a.type,
    verified: a.verified,
    checks: a.checks.map((c) => ({ id: c.id, title: c.title, status: c.status, detail: c.detail, ...(c.code !== undefined ? { code: c.code } : {}) })),
    claims: a.claims.map(claimToClaimsFile),
    fields: fieldToJson(a.fields),
    diagnostics: a.diagnostics.map(byteDiagnosticToJson),
  };
}

// ---------------------------------------------------------------------------------------------
// Pretty

const MAX_SHOWN = 120;

function shortText(s: string): string {
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN - 20)}… (${s.length} characters)` : s;
}

function scalar(v: FieldValue): string {
  if (typeof v === "string") return shortText(/^[0-9a-f]*$/.test(v) && v.length > 0 ? v : JSON.stringify(v));
  if (v === null) return "null";
  return String(v);
}

/** Renders decoded fields as an indented outline, one field per line (long values shortened). */
export function renderFields(fields: FieldValue, indent = "  "): string[] {
  const out: string[] = [];
  const walk = (v: FieldValue, pad: string) => {
    if (Array.isArray(v)) {
      v.forEach((x: FieldValue, i: number) => {
        if (x !== null && typeof x === "object") {
          out.push(`${pad}[${i}]:`);
          walk(x, pad + "  ");
        } else out.push(`${pad}[${i}]: ${scalar(x)}`);
      });
      return;
    }
    if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v as Record<string, FieldValue>)) {
        if (x !== null && typeof x === "object" && (!Array.isArray(x) || x.length > 0)) {
          out.push(`${pad}${k}:`);
          walk(x, pad + "  ");
        } else out.push(`${pad}${k}: ${Array.isArray(x) ? "[]" : scalar(x)}`);
      }
      return;
    }
    out.push(`${pad}${scalar(v)}`);
  };
  walk(fields, indent);
  return out;
}

const STATUS: Record<VerificationCheck["status"], string> = { passed: "passed     ", failed: "FAILED     ", "not-checked": "not checked" };

/** One line per verification step. */
export function renderChecks(checks: readonly VerificationCheck[]): string[] {
  return checks.map((c) => `  ${STATUS[c.status]}  ${c.title} (${c.id})${c.code !== undefined ? ` ${c.code}` : ""}: ${c.detail}`);
}

/** One line per byte-range diagnostic: `path: bytes S..E: severity CODE: message`. */
export function renderByteDiagnostics(path: string, diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${path}: bytes ${d.range.start}..${d.range.end}: ${d.severity} ${d.code}: ${d.message}`);
}

function claimValue(v: EvidenceClaim["value"]): string {
  if (typeof v === "string") return shortText(JSON.stringify(v));
  return String(v);
}

/** The verdict line: `verified`, or `refused` with the failed steps. */
export function verdict(a: Appraisal): string {
  if (a.verified) {
    const skipped = a.checks.filter((c) => c.status === "not-checked").length;
    return `verified${skipped > 0 ? ` (${skipped} step${skipped === 1 ? "" : "s"} not checked)` : ""}`;
  }
  const failed = a.checks.filter((c) => c.status === "failed");
  const errors = a.diagnostics.filter((d) => d.severity === "error");
  const reasons = [...failed.map((c) => c.title), ...(failed.length === 0 ? errors.map((d) => `${d.code} ${d.message}`) : [])];
  return `refused${reasons.length > 0 ? `: ${reasons.slice(0, 3).join("; ")}${reasons.length > 3 ? ` (and ${reasons.length - 3} more)` : ""}` : ""}`;
}

/** The pretty output of `maa-policy evidence`. */
export function renderAppraisal(path: string, a: Appraisal): string {
  const lines: string[] = [];
  lines.push(`${path}: ${a.type} evidence: ${verdict(a)}`);
  const diags = renderByteDiagnostics(path, a.diagnostics);
  if (diags.length > 0) lines.push("", "diagnostics:", ...diags.map((l) => `  ${l}`));
  lines.push("", "checks:", ...(a.checks.length > 0 ? renderChecks(a.checks) : ["  none (the evidence could not be decoded)"]));
  lines.push("", "fields:", ...renderFields(a.fields));
  lines.push("", a.claims.length === 0 ? "incoming claims: none" : `incoming claims (${a.claims.length}, issuer AttestationService):`);
  for (const c of a.claims) lines.push(`  ${c.type} = ${claimValue(c.value)}`);
  return lines.join("\n");
}
