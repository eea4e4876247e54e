/**
 * The server's own requests, for editors: `maa-policy/evaluate` (the evaluator's JSON result and
 * trace, as printed by `maa-policy eval --format json`; the input file may be a claims file or
 * attestation evidence, told apart by content, and evidence adds the appraisal and the
 * attestation token), `maa-policy/pack` (a policy token), `maa-policy/hash` (the
 * `x-ms-policy-hash` of the text) and `maa-policy/diff` (the report of
 * `maa-policy diff --format json`, with its Markdown rendering, for "Compare with…").
 */
import { access, readFile } from "node:fs/promises";
import { basename, dirname, extname, isAbsolute, join, resolve } from "node:path";
import {
  PolicyTokenError,
  compile,
  diffPolicies,
  policyDiffToJson,
  renderDiffMarkdown,
  type DiffInput,
  type PolicyDiffJson,
  evalResultToJson,
  evaluate,
  isAttestationType,
  packPolicy,
  parseClaimsInput,
  policyHash,
  type EvalResultJson,
  type TextRange,
} from "@maa-policy/core";
import type { Appraisal, AppraiseOptions, EvidenceType, VerificationCheck } from "@maa-policy/evidence";

/** The evidence package, loaded on first use: it is large (X.509, ASN.1) and most sessions never need it. */
const evidencePackage = () => import("@maa-policy/evidence");
import * as lsp from "vscode-languageserver";
import type { ServerSettings } from "../settings.js";

/** `maa-policy/evaluate` parameters. */
export interface EvaluateParams {
  readonly uri: string;
  /**
   * Claims file or attestation evidence file (told apart by content); default: the
   * `maa-policy.evaluate.claimsFile` setting, else `<policy name>.claims.json` next to the policy.
   */
  readonly claimsPath?: string;
  /** Options of an evidence file (the options of `maa-policy evidence`); ignored for a claims file. */
  readonly evidence?: EvidenceParams;
}

/** How to appraise an evidence file: paths relative to the policy, `at` an ISO time (default: now). */
export interface EvidenceParams {
  readonly type?: string;
  readonly runtimeDataPath?: string;
  readonly runtimeDataType?: string;
  readonly initTimeDataPath?: string;
  readonly initTimeDataType?: string;
  readonly collateralPath?: string;
  readonly nonce?: string;
  readonly at?: string;
}

/** The evidence part of an evaluation from evidence. */
export interface EvidenceSummaryJson {
  /** The evidence file. */
  readonly path: string;
  readonly type: EvidenceType;
  readonly verified: boolean;
  readonly checks: readonly VerificationCheck[];
  readonly diagnostics: readonly { code: string; severity: string; message: string; range: { start: number; end: number } }[];
}

/** The result of `maa-policy/evaluate`: the evaluator's JSON, plus the appraisal and token for evidence. */
export type EvaluateResultJson = EvalResultJson & {
  /** Present when the input was evidence. */
  readonly evidence?: EvidenceSummaryJson;
  /** The attestation token's claims when the input was evidence and the decision `permit`, else null. */
  readonly attestationToken?: Record<string, unknown> | null;
};

/** `maa-policy/pack` parameters. */
export interface PackParams {
  readonly uri: string;
  /** PEM private key; with `certPaths`, the token is signed. */
  readonly keyPath?: string;
  /** PEM certificate files, signer certificate first. */
  readonly certPaths?: readonly string[];
  readonly alg?: string;
}

/** `maa-policy/hash` parameters. */
export interface HashParams {
  readonly uri: string;
}

/** `maa-policy/diff` parameters: the policy (`uri`) compared with another, and inputs to compare them on. */
export interface DiffParams {
  /** The policy the command runs on: the new side of the comparison. */
  readonly uri: string;
  /** The other policy: the old side (a `file:` URI of an open or saved document, or a path). */
  readonly against: string;
  /** Claims files, tokens or policy test files to compare on (paths); default none. */
  readonly claimsPaths?: readonly string[];
  /** Search for distinguishing inputs (default true). */
  readonly search?: boolean;
}

/** `maa-policy/diff` result: the JSON report and its Markdown rendering (as `maa-policy diff` prints them). */
export interface DiffResult {
  readonly report: PolicyDiffJson;
  readonly markdown: string;
}

/** `maa-policy/evaluate`: the evaluator's JSON result for a policy and a claims file. */
export const EvaluateRequest = new lsp.RequestType<EvaluateParams, EvaluateResultJson, void>("maa-policy/evaluate");
/** `maa-policy/pack`: a policy token (unsigned, or signed with a key and certificates). */
export const PackRequest = new lsp.RequestType<PackParams, { token: string; warnings: string[] }, void>("maa-policy/pack");
/** `maa-policy/diff`: what changes from the policy `against` to the policy `uri` (the report of `maa-policy diff`). */
export const DiffRequest = new lsp.RequestType<DiffParams, DiffResult, void>("maa-policy/diff");
/** `maa-policy/hash`: the `x-ms-policy-hash` of a policy's text. */
export const HashRequest = new lsp.RequestType<HashParams, { policyHash: string }, void>("maa-policy/hash");

/** Where a policy's text and directory come from. */
export interface PolicySource {
  readonly text: string;
  /** The policy's file path, when it has one. */
  readonly path: string | undefined;
}

function invalid(message: string): lsp.ResponseError<void> {
  return new lsp.ResponseError(lsp.ErrorCodes.InvalidParams, message);
}

/**
 * Where an evaluation that cannot run should take the user: the policy's first error (its range in
 * the policy's text), or the claims file that cannot be read.
 */
export type EvaluationBlocker = { readonly kind: "policy"; readonly range: TextRange } | { readonly kind: "claims"; readonly path: string };

/**
 * A refused evaluation: the `ResponseError` the request answers with, carrying where the fault is
 * as its `data` (`ResponseError` cannot be subclassed: it resets its prototype).
 */
export function evaluationRefused(message: string, blocker: EvaluationBlocker): lsp.ResponseError<EvaluationBlocker> {
  return new lsp.ResponseError(lsp.ErrorCodes.InvalidParams, message, blocker);
}

/** The fault a refused evaluation names, if `e` is one. */
export function blockerOf(e: unknown): EvaluationBlocker | undefined {
  if (!(e instanceof lsp.ResponseError)) return undefined;
  const data = e.data as Partial<{ kind: unknown; range: unknown; path: unknown }> | undefined;
  if (data?.kind === "claims" && typeof data.path === "string") return { kind: "claims", path: data.path };
  if (data?.kind === "policy" && typeof data.range === "object" && data.range !== null) return { kind: "policy", range: data.range as TextRange };
  return undefined;
}

function requireUri(params: unknown): string {
  if (typeof params !== "object" || params === null || typeof (params as { uri?: unknown }).uri !== "string") {
    throw invalid("expected `uri` (a string)");
  }
  return (params as { uri: string }).uri;
}

/** Validates the parameters of `maa-policy/evaluate`. */
export function evaluateParams(params: unknown): EvaluateParams {
  const uri = requireUri(params);
  const claimsPath = (params as { claimsPath?: unknown }).claimsPath;
  if (claimsPath !== undefined && claimsPath !== null && typeof claimsPath !== "string") throw invalid("`claimsPath` must be a string");
  const ev = (params as { evidence?: unknown }).evidence;
  let evidence: EvidenceParams | undefined;
  if (ev !== undefined && ev !== null) {
    if (typeof ev !== "object" || Array.isArray(ev)) throw invalid("`evidence` must be an object");
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(ev as Record<string, unknown>)) {
      if (!EVIDENCE_PARAM_KEYS.includes(k)) throw invalid(`\`evidence.${k}\` is not an evidence option (expected ${EVIDENCE_PARAM_KEYS.map((x) => `\`${x}\``).join(", ")})`);
      if (typeof v !== "string") throw invalid(`\`evidence.${k}\` must be a string`);
      out[k] = v;
    }
    evidence = out as EvidenceParams;
  }
  return { uri, ...(typeof claimsPath === "string" ? { claimsPath } : {}), ...(evidence !== undefined ? { evidence } : {}) };
}

const EVIDENCE_PARAM_KEYS = ["type", "runtimeDataPath", "runtimeDataType", "initTimeDataPath", "initTimeDataType", "collateralPath", "nonce", "at"];

/** Validates the parameters of `maa-policy/pack`. */
export function packParams(params: unknown): PackParams {
  const uri = requireUri(params);
  const p = params as { keyPath?: unknown; certPaths?: unknown; alg?: unknown };
  if (p.keyPath !== undefined && typeof p.keyPath !== "string") throw invalid("`keyPath` must be a string");
  if (p.certPaths !== undefined && !(Array.isArray(p.certPaths) && p.certPaths.every((c) => typeof c === "string"))) {
    throw invalid("`certPaths` must be an array of strings");
  }
  if (p.alg !== undefined && typeof p.alg !== "string") throw invalid("`alg` must be a string");
  return {
    uri,
    ...(typeof p.keyPath === "string" ? { keyPath: p.keyPath } : {}),
    ...(Array.isArray(p.certPaths) ? { certPaths: p.certPaths as string[] } : {}),
    ...(typeof p.alg === "string" ? { alg: p.alg } : {}),
  };
}

/** Validates the parameters of `maa-policy/diff`. */
export function diffParams(params: unknown): DiffParams {
  const uri = requireUri(params);
  const p = params as { against?: unknown; claimsPaths?: unknown; search?: unknown };
  if (typeof p.against !== "string" || p.against === "") throw invalid("expected `against` (the policy to compare with: a URI or a path)");
  if (p.claimsPaths !== undefined && !(Array.isArray(p.claimsPaths) && p.claimsPaths.every((c) => typeof c === "string"))) {
    throw invalid("`claimsPaths` must be an array of strings");
  }
  if (p.search !== undefined && typeof p.search !== "boolean") throw invalid("`search` must be a boolean");
  return {
    uri,
    against: p.against,
    ...(Array.isArray(p.claimsPaths) ? { claimsPaths: p.claimsPaths as string[] } : {}),
    ...(typeof p.search === "boolean" ? { search: p.search } : {}),
  };
}

/** Validates the parameters of `maa-policy/hash`. */
export function hashParams(params: unknown): HashParams {
  return { uri: requireUri(params) };
}

function resolveAgainst(path: string, policyPath: string | undefined): string {
  if (isAbsolute(path)) return path;
  return policyPath ? resolve(dirname(policyPath), path) : resolve(path);
}

/** The claims file for a policy: explicit, from the settings, or `<name>.claims.json` next to it. */
export function claimsFileFor(policyPath: string | undefined, settings: ServerSettings, explicit: string | undefined): string | undefined {
  if (explicit !== undefined) return resolveAgainst(explicit, policyPath);
  if (settings.evaluate.claimsFile !== undefined) return resolveAgainst(settings.evaluate.claimsFile, policyPath);
  if (!policyPath) return undefined;
  const name = basename(policyPath, extname(policyPath));
  return join(dirname(policyPath), `${name}.claims.json`);
}

/** Whether a file exists. */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw invalid(`${what} \`${path}\`: ${code === "ENOENT" ? "no such file" : e instanceof Error ? e.message : String(e)}`);
  }
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw invalid(`${what} \`${path}\`: ${code === "ENOENT" ? "no such file" : e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Whether a file holds attestation evidence rather than claims: bytes that are not UTF-8 text, a
 * JSON object with an attest request's `quote` or `report` or an SEV-SNP `SnpReport`, or text
 * that is not JSON (hex, base64) which the evidence decoder recognises.
 */
async function looksLikeEvidence(bytes: Uint8Array): Promise<boolean> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return true;
  }
  if (text.includes("\u0000")) return true;
  const trimmed = text.trim().replace(/^\uFEFF/, "");
  if (trimmed.startsWith("{")) {
    try {
      const o = JSON.parse(trimmed) as unknown;
      if (typeof o === "object" && o !== null && !Array.isArray(o)) {
        const keys = Object.keys(o);
        return keys.some((k) => ["quote", "report", "Quote", "SnpReport"].includes(k));
      }
    } catch {
      return false;
    }
    return false;
  }
  if (trimmed.startsWith("[") || trimmed.startsWith('"')) return false;
  // A compact JWT is a token (claims input); hex or base64 text is evidence.
  return /^[0-9A-Za-z+/=_\-\s]+$/.test(trimmed) && !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(trimmed);
}

/** The appraisal options of an evidence file: the files named by `params`, read relative to the policy. */
async function appraiseOptions(params: EvidenceParams, policyPath: string | undefined, now: Date): Promise<AppraiseOptions> {
  const { readEvidenceOptionText } = await evidencePackage();
  const read = readEvidenceOptionText(params);
  if (!read.ok) throw invalid(`\`evidence.${read.option}\`: ${read.message}`);
  const { at, ...textOptions } = read.options;
  const file = (p: string | undefined, what: string) => (p === undefined ? undefined : readBytes(resolveAgainst(p, policyPath), what));
  const runtimeData = await file(params.runtimeDataPath, "runtime data");
  const initTimeData = await file(params.initTimeDataPath, "init-time data");
  const collateral = await file(params.collateralPath, "collateral");
  return {
    now: at ?? now,
    ...textOptions,
    ...(runtimeData !== undefined ? { runtimeData } : {}),
    ...(initTimeData !== undefined ? { initTimeData } : {}),
    ...(collateral !== undefined ? { collateral } : {}),
  };
}

function evidenceSummary(path: string, a: Appraisal): EvidenceSummaryJson {
  return {
    path,
    type: a.type,
    verified: a.verified,
    checks: a.checks.map((c) => ({ id: c.id, title: c.title, status: c.status, detail: c.detail, ...(c.code !== undefined ? { code: c.code } : {}) })),
    diagnostics: a.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, range: { start: d.range.start, end: d.range.end } })),
  };
}

/** Integers beyond 2^53 become decimal strings, as in every JSON result. */
function plainJson(v: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x))) as Record<string, unknown>;
}

/**
 * Evaluates a policy on the claims of a file, or on the incoming claims of an evidence file
 * (appraised first; refused evidence gives the decision `error` and no evaluation, as the service
 * would answer); throws a `ResponseError` with a clear message when it cannot.
 */
export async function evaluatePolicy(source: PolicySource, claimsPath: string | undefined, options: { evidence?: EvidenceParams; now?: Date } = {}): Promise<EvaluateResultJson> {
  if (claimsPath === undefined) throw invalid("no claims file: pass `claimsPath` or set `maa-policy.evaluate.claimsFile`");
  const bytes = await readBytes(claimsPath, "claims file");
  const compileFor = (type?: string) => {
    const compiled = compile(source.text, type !== undefined && isAttestationType(type) ? { attestationType: type } : {});
    if (!compiled.policy) {
      const first = compiled.diagnostics.find((d) => d.severity === "error");
      const message = `the policy has errors and cannot be evaluated${first ? `: ${first.code} ${first.message}` : ""}`;
      throw evaluationRefused(message, { kind: "policy", range: first?.range ?? { start: 0, end: 0 } });
    }
    return compiled.policy;
  };
  if (await looksLikeEvidence(bytes)) {
    const { appraiseEvidence, attestationToken } = await evidencePackage();
    const opts = await appraiseOptions(options.evidence ?? {}, source.path, options.now ?? new Date());
    const appraisal = await appraiseEvidence(bytes, opts);
    const policy = compileFor(appraisal.type);
    const evidence = evidenceSummary(claimsPath, appraisal);
    if (!appraisal.verified) {
      return { decision: "error", incoming: [], outgoing: [], properties: [], token: {}, diagnostics: [], trace: null, evidence, attestationToken: null };
    }
    const result = evaluate(policy, appraisal.claims, { trace: "full" });
    const token = result.decision === "permit" ? plainJson(await attestationToken(appraisal, result, { now: opts.now, policyText: source.text })) : null;
    return { ...evalResultToJson(result, source.text), evidence, attestationToken: token };
  }
  const input = parseClaimsInput(new TextDecoder().decode(bytes), claimsPath);
  if (input.errors.length > 0) throw evaluationRefused(input.errors.slice(0, 5).join("; "), { kind: "claims", path: claimsPath });
  const result = evaluate(compileFor(), input.claims, { trace: "full" });
  return evalResultToJson(result, source.text);
}

/** Packs a policy into a token (signed when a key and certificates are given). */
export async function packPolicyRequest(source: PolicySource, params: PackParams): Promise<{ token: string; warnings: string[] }> {
  const key = params.keyPath !== undefined ? await readText(resolveAgainst(params.keyPath, source.path), "private key") : undefined;
  const certificates: string[] = [];
  for (const c of params.certPaths ?? []) certificates.push(await readText(resolveAgainst(c, source.path), "certificate"));
  try {
    const r = await packPolicy(source.text, {
      key,
      certificates: certificates.length > 0 ? certificates : undefined,
      alg: params.alg,
    });
    return { token: r.token, warnings: [...r.warnings] };
  } catch (e) {
    if (e instanceof PolicyTokenError) throw invalid(`${e.code} ${e.message}`);
    throw e;
  }
}

/** The `x-ms-policy-hash` of a policy. */
export function hashPolicy(source: PolicySource): { policyHash: string } {
  try {
    return { policyHash: policyHash(source.text) };
  } catch (e) {
    if (e instanceof PolicyTokenError) throw invalid(`${e.code} ${e.message}`);
    throw e;
  }
}

/** Reads the inputs of a claims file, token or policy test file (each case of a test file is one input). */
async function diffInputs(file: string): Promise<DiffInput[]> {
  const text = await readText(file, "claims file");
  if (file.endsWith(".policytest.json")) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw invalid(`policy test file \`${file}\`: not valid JSON`);
    }
    const cases = (data as { cases?: unknown }).cases;
    if (!Array.isArray(cases)) throw invalid(`policy test file \`${file}\`: $.cases: expected an array of cases`);
    const out: DiffInput[] = [];
    for (const [i, c] of cases.entries()) {
      const cc = (typeof c === "object" && c !== null ? c : {}) as { name?: unknown; claims?: unknown; claimsFile?: unknown };
      const name = `${basename(file)}: ${typeof cc.name === "string" ? cc.name : `$.cases[${i}]`}`;
      const parsed =
        typeof cc.claimsFile === "string"
          ? parseClaimsInput(await readText(resolve(dirname(file), cc.claimsFile), "claims file"), cc.claimsFile)
          : parseClaimsInput(JSON.stringify(cc.claims ?? null), `${file} $.cases[${i}].claims`);
      if (parsed.errors.length > 0) throw invalid(parsed.errors.slice(0, 5).join("; "));
      out.push({ name, claims: parsed.claims });
    }
    return out;
  }
  const parsed = parseClaimsInput(text, file);
  if (parsed.errors.length > 0) throw invalid(parsed.errors.slice(0, 5).join("; "));
  return [{ name: basename(file), claims: parsed.claims }];
}

/** Compares two policies (`old` is the one to compare with, `current` the one the command runs on). */
export async function diffPolicyRequest(old: PolicySource & { readonly name: string }, current: PolicySource & { readonly name: string }, params: DiffParams): Promise<DiffResult> {
  const inputs: DiffInput[] = [];
  for (const c of params.claimsPaths ?? []) inputs.push(...(await diffInputs(resolveAgainst(c, current.path))));
  const diff = diffPolicies(old.text, current.text, { inputs, search: params.search !== false });
  const report = policyDiffToJson(diff, { oldName: old.name, oldText: old.text, newName: current.name, newText: current.text });
  return { report, markdown: renderDiffMarkdown(report) };
}
