/**
 * `maa-policy test [paths…]`: runs policy test files (`*.policytest.json`). Each file names a
 * policy and lists cases: claims (inline or from a file) or attestation evidence (with its
 * runtime data, collateral and time), and the expected decision, issued claims, properties,
 * diagnostic codes and, for evidence, whether it verifies and the attestation token. Prints each failure with a diff of expected and actual, then
 * `N passed, N failed`. `--coverage` lists the rules no case fired; `--coverage-threshold P`
 * fails the run below P percent. Exit codes: 0 all passed, 1 a case failed (or coverage is below
 * the threshold), 2 usage or I/O error (including a malformed test file).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import ajvModule, { type ErrorObject, type ValidateFunction } from "ajv";
import {
  LineIndex,
  MAX_JSON_DEPTH,
  claimToJson,
  compile,
  evaluate,
  jsonTooDeepAt,
  parseClaimsInput,
  tokenView,
  type CompiledPolicy,
  type Diagnostic,
  type EvalResult,
  type InputClaim,
  type JsonClaim,
} from "@maa-policy/core";
import { attestationToken } from "@maa-policy/evidence";
import { EXIT, InputError, UsageError, type CliIo, type Command } from "../command.js";
import { oneOf, parseCommandArgs } from "../util/args.js";
import { appraise, evidenceOptionsOf, readEvidenceRequest, verdict, type EvidenceArgs, type EvidenceRequest } from "../util/evidence.js";
import { describeFsError, displayPath, expandOperands } from "../util/files.js";
import { renderTrace } from "../util/eval-pretty.js";
import { lineDiff } from "../util/line-diff.js";
// The schema of docs/policytest.schema.json (a copy, checked equal by test/eval/policytest-schema.test.ts).
import claimsInputSchema from "../schemas/claims-input.schema.json" with { type: "json" };
import policyTestSchema from "../schemas/policytest.schema.json" with { type: "json" };

const Ajv = ajvModule.default;

const FORMATS = ["pretty", "json", "junit"] as const;
const TEST_SUFFIX = ".policytest.json";

interface Expectation {
  readonly decision: string;
  readonly outgoing?: unknown;
  readonly outgoingMode: "subset" | "exact";
  readonly properties?: unknown;
  readonly propertiesMode: "subset" | "exact";
  readonly diagnostics?: readonly string[];
  /** Evidence cases: whether the evidence must verify (default true). */
  readonly verified?: boolean;
  /** Evidence cases: members the attestation token must have (each compared exactly). */
  readonly attestationToken?: Record<string, unknown>;
}

interface TestCase {
  readonly name: string;
  /** The incoming claims, or the evidence they come from. */
  readonly input: { readonly claims: InputClaim[] } | { readonly evidence: EvidenceRequest };
  readonly expect: Expectation;
}

const EVIDENCE_KEYS: Record<string, keyof EvidenceArgs | "file"> = {
  file: "file",
  type: "type",
  runtimeData: "runtimeData",
  runtimeDataType: "runtimeDataType",
  initTimeData: "initTimeData",
  initTimeDataType: "initTimeDataType",
  collateral: "collateral",
  nonce: "nonce",
  at: "at",
  oeQuoteHash: "oeQuoteHash",
};

/** The test-file member of each evidence option whose command-line name differs. */
const TEST_FILE_NAMES: Record<string, string> = {
  "runtime-data": "runtimeData",
  "runtime-data-type": "runtimeDataType",
  "init-time-data": "initTimeData",
  "init-time-data-type": "initTimeDataType",
  "oe-quotehash": "oeQuoteHash",
};

interface Failure {
  readonly field: string;
  readonly message: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

interface CaseReport {
  readonly name: string;
  readonly failures: readonly Failure[];
  /** For a failed case: the evaluation trace, rendered (at most `MAX_TRACE_LINES` lines). */
  readonly trace?: readonly string[];
}

const MAX_TRACE_LINES = 40;

interface FileReport {
  readonly path: string;
  readonly policyPath: string;
  readonly cases: readonly CaseReport[];
  readonly rules: number;
  /** Whether the policy compiled (its rules could run). */
  readonly compiled: boolean;
  readonly unfired: readonly { section: string; rule: number; line: number; text: string }[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

async function readText(p: string, shown: string): Promise<string> {
  try {
    return await readFile(p, "utf8");
  } catch (e) {
    throw new InputError(`${shown}: cannot read: ${describeFsError(e)}`);
  }
}

let testFileValidator: ValidateFunction | undefined;

/** The test-file schema's validator, compiled on first use (not when the CLI starts, for every command). */
function validateTestFile(data: unknown): boolean {
  if (testFileValidator === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(claimsInputSchema, "claims-input.schema.json");
    testFileValidator = ajv.compile(policyTestSchema);
  }
  return testFileValidator(data);
}

/** `/cases/0/expect` as a JSON path: `$.cases[0].expect`. */
function jsonPath(pointer: string): string {
  let out = "$";
  for (const raw of pointer.split("/").slice(1)) {
    const k = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(k) ? `[${k}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
  }
  return out;
}

/** What the file schema says about the first problem, in the words of a message (path: reason). */
function schemaProblem(errors: readonly ErrorObject[], data: unknown, shown: string): string {
  // The deepest problem is the most precise; `oneOf`/`anyOf` summaries only when nothing is deeper.
  const summary = new Set(["oneOf", "anyOf", "if"]);
  const sorted = [...errors].sort((a, b) => Number(summary.has(a.keyword)) - Number(summary.has(b.keyword)) || b.instancePath.split("/").length - a.instancePath.split("/").length);
  const e = sorted[0] as ErrorObject;
  const at = jsonPath(e.instancePath);
  const claimsCase = /^\/cases\/(\d+)\/claims(\/|$)/.exec(e.instancePath);
  if (claimsCase) {
    // Inline claims: the claims reader names the problem more precisely than their schema.
    const claims = ((data as { cases: { claims: unknown }[] }).cases[Number(claimsCase[1])] as { claims: unknown }).claims;
    const parsed = parseClaimsInput(JSON.stringify(claims), `${shown} $.cases[${claimsCase[1]}].claims`);
    if (parsed.errors.length > 0) return parsed.errors.join("\n");
  }
  const params = e.params as Record<string, unknown>;
  const p = `${shown}: ${at}`;
  switch (e.keyword) {
    case "required": {
      const m = String(params["missingProperty"]);
      const what: Record<string, string> = {
        policy: "must be the path of the policy, relative to this file",
        cases: "must be an array of cases",
        name: "every case needs a name",
        expect: "must be an object with at least `decision`",
        decision: "must be `permit`, `deny` or `error`",
      };
      return `${p}.${m}: missing${what[m] ? `: ${what[m]}` : ""}`;
    }
    case "additionalProperties":
      return `${p}${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(String(params["additionalProperty"])) ? `.${String(params["additionalProperty"])}` : `[${JSON.stringify(params["additionalProperty"])}]`}: unknown member`;
    case "enum":
      return `${p}: must be one of ${(params["allowedValues"] as unknown[]).map((v) => `\`${String(v)}\``).join(", ")}`;
    case "oneOf":
      return Array.isArray(params["passingSchemas"]) ? `${p}: give one of \`claims\`, \`claimsFile\` and \`evidence\`` : `${p}: every case needs \`claims\`, \`claimsFile\` or \`evidence\``;
    case "anyOf":
      return `${p}: must be an array of claims (each with \`type\` and \`value\`) or an object (type → value)`;
    case "pattern":
      return `${p}: must be a diagnostic code such as \`P3001\``;
    case "minLength":
      return `${p}: must not be empty`;
    case "type":
      return `${p}: must be ${String(params["type"]).replace(/^object$/, "an object").replace(/^array$/, "an array").replace(/^string$/, "a string")}`;
    default:
      return `${p}: ${e.message ?? "is not valid"}`;
  }
}

/**
 * Checks the evidence members of every case before the schema does, in the words of
 * `maa-policy evidence` (the schema's `oneOf` of a path or an object would only say "must be a
 * string"): one input per case; `evidence` a path or `{ "file", "type", "runtimeData",
 * "runtimeDataType", "initTimeData", "initTimeDataType", "collateral", "nonce", "at", "oeQuoteHash" }`;
 * `expect.verified` and `expect.attestationToken` only with evidence.
 */
function checkEvidenceMembers(data: unknown, shown: string, bad: (p: string, m: string) => never): void {
  if (!isObject(data) || !Array.isArray(data["cases"])) return;
  for (const [i, c] of (data["cases"] as unknown[]).entries()) {
    if (!isObject(c)) continue;
    const p = `$.cases[${i}]`;
    const inputs = ["claims", "claimsFile", "evidence"].filter((k) => c[k] !== undefined);
    if (inputs.length > 1) bad(p, `give one of \`claims\`, \`claimsFile\` and \`evidence\` (got ${inputs.map((k) => `\`${k}\``).join(" and ")})`);
    const e = isObject(c["expect"]) ? c["expect"] : undefined;
    if (c["evidence"] === undefined) {
      for (const k of ["verified", "attestationToken"]) if (e?.[k] !== undefined) bad(`${p}.expect.${k}`, "only a case with `evidence` can expect this");
      continue;
    }
    const v = c["evidence"];
    const q = `${p}.evidence`;
    const o: Record<string, unknown> = typeof v === "string" ? { file: v } : isObject(v) ? v : bad(q, "must be the path of the evidence, or an object with `file` and the evidence options");
    for (const [k, x] of Object.entries(o)) {
      if (EVIDENCE_KEYS[k] === undefined) bad(`${q}.${k}`, `unknown member (expected ${Object.keys(EVIDENCE_KEYS).map((n) => `\`${n}\``).join(", ")})`);
      if (typeof x !== "string" || x === "") bad(`${q}.${k}`, "must be a non-empty string");
    }
    if (o["file"] === undefined) bad(`${q}.file`, "the evidence file is missing (a path relative to this file)");
    for (const k of ["file", "runtimeData", "initTimeData", "collateral"]) if (o[k] === "-") bad(`${q}.${k}`, "a test cannot read standard input");
    evidenceOptionsOf(o as EvidenceArgs, (option, message) => new InputError(`${shown}: ${q}.${TEST_FILE_NAMES[option] ?? option}: ${message}`));
    if (e?.["verified"] !== undefined && typeof e["verified"] !== "boolean") bad(`${p}.expect.verified`, "must be `true` or `false`");
    if (e?.["attestationToken"] !== undefined && !isObject(e["attestationToken"])) bad(`${p}.expect.attestationToken`, "must be an object (claim → value)");
  }
}

/** Reads a case's `evidence` (already checked by `checkEvidenceMembers`; paths relative to the test file), with every file it names. */
async function loadEvidence(v: unknown, p: string, dir: string, shown: string, io: CliIo): Promise<EvidenceRequest> {
  const o = (typeof v === "string" ? { file: v } : v) as Record<string, string>;
  const args: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) args[EVIDENCE_KEYS[k] as string] = x;
  const error = (option: string, message: string) => new InputError(`${shown}: ${p}.${TEST_FILE_NAMES[option] ?? option}: ${message}`);
  const { file, ...rest } = args;
  return await readEvidenceRequest(file as string, rest as EvidenceArgs, io, { error, resolve: (f) => path.resolve(dir, f) });
}

/** Reads and validates one test file (against docs/policytest.schema.json); every problem is an `InputError` naming the file and the JSON path. */
async function loadTestFile(file: string, io: CliIo): Promise<{ policyPath: string; policyText: string; cases: TestCase[] }> {
  const shown = displayPath(file, io.cwd);
  const text = await readText(file, shown);
  // Validation and the claims reader walk the data recursively: refuse deep nesting first.
  const deep = jsonTooDeepAt(text);
  if (deep >= 0) {
    const pos = new LineIndex(text).position(deep);
    throw new InputError(`${shown}:${pos.line + 1}:${pos.character + 1}: the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${shown}: not valid JSON: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  }
  const bad = (p: string, m: string): never => {
    throw new InputError(`${shown}: ${p}: ${m}`);
  };
  checkEvidenceMembers(data, shown, bad);
  if (!validateTestFile(data)) throw new InputError(schemaProblem(testFileValidator?.errors ?? [], data, shown));
  const o = data as { policy: string; cases: RawCase[] };
  const dir = path.dirname(file);
  const policyFile = path.resolve(dir, o.policy);
  const policyText = await readText(policyFile, displayPath(policyFile, io.cwd));
  const cases: TestCase[] = [];
  const names = new Set<string>();
  for (const [i, c] of o.cases.entries()) {
    const p = `$.cases[${i}]`;
    if (names.has(c.name)) throw new InputError(`${shown}: ${p}.name: the name \`${c.name}\` is used twice`);
    names.add(c.name);
    let input: TestCase["input"];
    if (c.evidence !== undefined) {
      input = { evidence: await loadEvidence(c.evidence, `${p}.evidence`, dir, shown, io) };
    } else {
      let parsed: ReturnType<typeof parseClaimsInput>;
      if (c.claimsFile !== undefined) {
        const cf = path.resolve(dir, c.claimsFile);
        const shownCf = displayPath(cf, io.cwd);
        parsed = parseClaimsInput(await readText(cf, shownCf), shownCf);
      } else parsed = parseClaimsInput(JSON.stringify(c.claims), `${shown} ${p}.claims`);
      if (parsed.errors.length > 0) throw new InputError(parsed.errors.join("\n"));
      input = { claims: parsed.claims };
    }
    const ee = c.expect;
    const expectation: Expectation = {
      decision: ee.decision,
      outgoingMode: ee.outgoingMode ?? "subset",
      propertiesMode: ee.propertiesMode ?? "subset",
      ...(ee.outgoing !== undefined ? { outgoing: ee.outgoing } : {}),
      ...(ee.properties !== undefined ? { properties: ee.properties } : {}),
      ...(ee.diagnostics !== undefined ? { diagnostics: ee.diagnostics } : {}),
      ...(ee.verified !== undefined ? { verified: ee.verified } : {}),
      ...(ee.attestationToken !== undefined ? { attestationToken: ee.attestationToken } : {}),
    };
    cases.push({ name: c.name, input, expect: expectation });
  }
  return { policyPath: displayPath(policyFile, io.cwd), policyText, cases };
}

/** A case as the schema lets it through. */
interface RawCase {
  readonly name: string;
  readonly claims?: unknown;
  readonly claimsFile?: string;
  readonly evidence?: unknown;
  readonly expect: {
    readonly decision: string;
    readonly outgoing?: unknown;
    readonly outgoingMode?: "subset" | "exact";
    readonly properties?: unknown;
    readonly propertiesMode?: "subset" | "exact";
    readonly diagnostics?: readonly string[];
    readonly verified?: boolean;
    readonly attestationToken?: Record<string, unknown>;
  };
}

/** A value as JSON data (bigints as decimal strings), for comparing token claims with expectations. */
function jsonOf(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x)) ?? "null");
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Whether an actual claim satisfies an expected one (only the members the expectation gives). */
function claimMatches(expected: Record<string, unknown>, actual: JsonClaim): boolean {
  const a = actual as unknown as Record<string, unknown>;
  return Object.keys(expected).every((k) => deepEqual(expected[k], a[k]));
}

function compareClaims(field: string, expected: unknown, mode: "subset" | "exact", claims: readonly JsonClaim[], view: Record<string, unknown>): Failure | undefined {
  if (isObject(expected)) {
    if (mode === "exact") return deepEqual(expected, view) ? undefined : { field, message: `${field} (token view) differs`, expected, actual: view };
    const wrong = Object.keys(expected).filter((k) => !(k in view) || !deepEqual(expected[k], view[k]));
    return wrong.length === 0 ? undefined : { field, message: `${field}: ${wrong.map((k) => `\`${k}\``).join(", ")} ${wrong.length === 1 ? "differs" : "differ"}`, expected, actual: view };
  }
  const list = expected as Record<string, unknown>[];
  const remaining = [...claims];
  const missing: Record<string, unknown>[] = [];
  for (const e of list) {
    const i = remaining.findIndex((c) => claimMatches(e, c));
    if (i < 0) missing.push(e);
    else remaining.splice(i, 1);
  }
  const extra = mode === "exact" ? remaining : [];
  if (missing.length === 0 && extra.length === 0) return undefined;
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`${missing.length} expected claim${missing.length === 1 ? "" : "s"} missing`);
  if (extra.length > 0) parts.push(`${extra.length} unexpected claim${extra.length === 1 ? "" : "s"}`);
  return { field, message: `${field}: ${parts.join(", ")}`, expected: list, actual: claims };
}

function checkCase(c: TestCase, result: EvalResult, diagnostics: readonly Diagnostic[]): Failure[] {
  const failures: Failure[] = [];
  const e = c.expect;
  if (result.decision !== e.decision) {
    const reason = diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
    failures.push({ field: "decision", message: `decision: expected \`${e.decision}\`, got \`${result.decision}\``, expected: e.decision, actual: reason.length > 0 ? { decision: result.decision, errors: reason } : result.decision });
  }
  if (e.outgoing !== undefined) {
    const claims = result.outgoing.map(claimToJson);
    const f = compareClaims("outgoing", e.outgoing, e.outgoingMode, claims, result.token);
    if (f) failures.push(f);
  }
  if (e.properties !== undefined) {
    const claims = result.properties.map(claimToJson);
    // The properties seen as the token sees claims: the evaluator's one token view.
    const f = compareClaims("properties", e.properties, e.propertiesMode, claims, tokenView(result.properties));
    if (f) failures.push(f);
  }
  if (e.diagnostics !== undefined) {
    const codes = diagnostics.map((d) => d.code as string);
    const missing = e.diagnostics.filter((x) => !codes.includes(x));
    const unexpectedErrors = e.diagnostics.length === 0 ? diagnostics.filter((d) => d.severity === "error") : [];
    if (missing.length > 0 || unexpectedErrors.length > 0) {
      failures.push({
        field: "diagnostics",
        message: missing.length > 0 ? `diagnostics: ${missing.map((x) => `\`${x}\``).join(", ")} not reported` : "diagnostics: errors reported where none were expected",
        expected: e.diagnostics,
        actual: diagnostics.map((d) => `${d.code} ${d.message}`),
      });
    }
  }
  return failures;
}

async function runFile(file: string, loaded: Awaited<ReturnType<typeof loadTestFile>>, coverage: boolean, io: CliIo): Promise<FileReport> {
  const compiled = compile(loaded.policyText);
  const policy: CompiledPolicy | undefined = compiled.policy;
  const fired = new Set<string>();
  const cases: CaseReport[] = [];
  for (const c of loaded.cases) {
    let result: EvalResult;
    let diagnostics: Diagnostic[] = [...compiled.diagnostics];
    const evidenceFailures: Failure[] = [];
    let claims: readonly InputClaim[] = "claims" in c.input ? c.input.claims : [];
    let refused = false;
    let appraised: { appraisal: Awaited<ReturnType<typeof appraise>>; now: Date } | undefined;
    if ("evidence" in c.input) {
      const appraisal = await appraise(c.input.evidence);
      appraised = { appraisal, now: c.input.evidence.options.now };
      claims = appraisal.claims;
      refused = !appraisal.verified;
      const expected = c.expect.verified ?? true;
      if (appraisal.verified !== expected) {
        const steps = appraisal.checks.filter((k) => k.status !== "passed").map((k) => `${k.status}: ${k.title}: ${k.detail}`);
        evidenceFailures.push({ field: "verified", message: `evidence: expected it to be ${expected ? "verified" : "refused"}, it was ${verdict(appraisal)}`, expected, actual: { verified: appraisal.verified, steps } });
      }
    }
    if (!policy || refused) {
      // Refused evidence: the service answers with an error before any policy runs.
      result = { decision: "error", incoming: [], outgoing: [], properties: [], token: {}, diagnostics };
    } else {
      result = evaluate(policy, claims, coverage ? { trace: "rules" } : {});
      diagnostics = [...diagnostics, ...result.diagnostics];
      for (const t of result.trace ?? []) if (t.fired) fired.add(`${t.section}:${t.rule}`);
    }
    const failures = [...evidenceFailures, ...checkCase(c, result, diagnostics)];
    if (c.expect.attestationToken !== undefined && appraised !== undefined) {
      const token: Record<string, unknown> =
        result.decision === "permit" ? ((await attestationToken(appraised.appraisal, result, { now: appraised.now, policyText: loaded.policyText })) as Record<string, unknown>) : {};
      const expected = c.expect.attestationToken;
      const wrong = Object.keys(expected).filter((k) => !(k in token) || !deepEqual(jsonOf(expected[k]), jsonOf(token[k])));
      if (wrong.length > 0) {
        const actual = Object.fromEntries(wrong.map((k) => [k, k in token ? jsonOf(token[k]) : "(absent)"]));
        failures.push({ field: "attestationToken", message: `attestationToken: ${wrong.map((k) => `\`${k}\``).join(", ")} ${wrong.length === 1 ? "differs" : "differ"}`, expected: Object.fromEntries(wrong.map((k) => [k, expected[k]])), actual });
      }
    }
    if (failures.length > 0 && policy && !refused) {
      // Explain the failure: why each rule fired or not, from a traced re-run.
      const traced = evaluate(policy, claims, { trace: "full" });
      const lines = renderTrace(traced.trace ?? [], loaded.policyText);
      const shown = lines.length > MAX_TRACE_LINES ? [...lines.slice(0, MAX_TRACE_LINES), `  … ${lines.length - MAX_TRACE_LINES} more lines`] : lines;
      cases.push({ name: c.name, failures, trace: shown });
    } else cases.push({ name: c.name, failures });
  }
  const index = new LineIndex(loaded.policyText);
  const unfired = (policy?.rules ?? [])
    .filter((r) => !fired.has(`${r.section}:${r.index}`))
    .map((r) => ({
      section: r.section,
      rule: r.index,
      line: index.position(r.range.start).line + 1,
      text: loaded.policyText.slice(r.range.start, r.range.end).replace(/\s+/g, " ").slice(0, 100),
    }));
  return { path: displayPath(file, io.cwd), policyPath: loaded.policyPath, cases, rules: policy?.rules.length ?? 0, compiled: policy !== undefined, unfired };
}

function pretty(v: unknown): string {
  return JSON.stringify(v, null, 2) ?? "undefined";
}

function xml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** `maa-policy test`. */
export const testCommand: Command = {
  name: "test",
  usage: `Usage: maa-policy test [options] [files or directories…]

Runs policy test files (*${TEST_SUFFIX}): each names a policy and lists cases, each with claims
(or attestation evidence, appraised as by \`maa-policy evidence\`) and the expected decision,
issued claims, properties and diagnostic codes (and, for evidence, whether it verifies and the
attestation token's claims). Without paths, every test file below the current directory runs.

Options:
  --allow-empty                accept a test file without cases
  --coverage                   list the rules no case fired
  --coverage-threshold <P>     fail when fewer than P percent of the rules fired (implies --coverage)
  --format <pretty|json|junit> output format (default: pretty)
  -h, --help                   show this help

Exit codes: 0 all cases passed, 1 a case failed or coverage is below the threshold,
2 usage or I/O error (including a malformed test file).`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      "allow-empty": { type: "boolean" },
      coverage: { type: "boolean" },
      "coverage-threshold": { type: "string" },
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return EXIT.ok;
    }
    const format = oneOf("format", values.format, FORMATS, "pretty");
    let threshold: number | undefined;
    if (values["coverage-threshold"] !== undefined) {
      threshold = Number(values["coverage-threshold"]);
      if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100) throw new UsageError(`--coverage-threshold must be a percentage from 0 to 100 (got \`${values["coverage-threshold"]}\`)`);
    }
    const coverage = values.coverage === true || threshold !== undefined;
    if (positionals.includes("-")) throw new UsageError("test files cannot be read from standard input");
    const files = await expandOperands(positionals.length > 0 ? positionals : ["."], io.cwd, [TEST_SUFFIX]);
    const allowEmpty = values["allow-empty"] === true;
    // Success must be earned: a file without cases is an error unless asked for.
    const reports: FileReport[] = [];
    for (const f of files) {
      const loaded = await loadTestFile(f, io);
      if (loaded.cases.length === 0 && !allowEmpty) throw new InputError(`${displayPath(f, io.cwd)}: $.cases: the file has no cases, so it tests nothing (--allow-empty accepts that)`);
      reports.push(await runFile(f, loaded, coverage, io));
    }

    const all = reports.flatMap((r) => r.cases.map((c) => ({ file: r, c })));
    const failed = all.filter((x) => x.c.failures.length > 0).length;
    const passed = all.length - failed;
    const totalRules = reports.reduce((n, r) => n + r.rules, 0);
    const unfired = reports.reduce((n, r) => n + r.unfired.length, 0);
    // Zero rules cannot meet a threshold: nothing was covered (a policy that does not compile has none).
    const percent = totalRules === 0 ? 0 : ((totalRules - unfired) / totalRules) * 100;
    const belowThreshold = threshold !== undefined && (totalRules === 0 || percent < threshold);

    if (format === "json") {
      const json = {
        files: reports.map((r) => ({
          path: r.path,
          policy: r.policyPath,
          cases: r.cases.map((c) => ({ name: c.name, passed: c.failures.length === 0, failures: c.failures })),
          ...(coverage ? { coverage: { rules: r.rules, fired: r.rules - r.unfired.length, unfired: r.unfired } } : {}),
        })),
        summary: { passed, failed, ...(coverage ? { coverage: { rules: totalRules, fired: totalRules - unfired, percent } } : {}) },
      };
      io.stdout(JSON.stringify(json, null, 2) + "\n");
    } else if (format === "junit") {
      const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="maa-policy" tests="${all.length}" failures="${failed}">`];
      for (const r of reports) {
        const f = r.cases.filter((c) => c.failures.length > 0).length;
        out.push(`  <testsuite name="${xml(r.path)}" tests="${r.cases.length}" failures="${f}">`);
        for (const c of r.cases) {
          if (c.failures.length === 0) out.push(`    <testcase classname="${xml(r.path)}" name="${xml(c.name)}"/>`);
          else {
            out.push(`    <testcase classname="${xml(r.path)}" name="${xml(c.name)}">`);
            const body = c.failures.map((x) => `${x.message}\n${lineDiff(pretty(x.expected), pretty(x.actual)).join("\n")}`).join("\n\n");
            out.push(`      <failure message="${xml(c.failures.map((x) => x.message).join("; "))}">${xml(body)}</failure>`);
            out.push("    </testcase>");
          }
        }
        out.push("  </testsuite>");
      }
      out.push("</testsuites>");
      io.stdout(out.join("\n") + "\n");
    } else {
      for (const { file, c } of all) {
        if (c.failures.length === 0) continue;
        io.stdout(`✗ ${file.path} › ${c.name}\n`);
        for (const f of c.failures) {
          io.stdout(`    ${f.message}\n`);
          io.stdout(`    --- expected\n    +++ actual\n`);
          for (const l of lineDiff(pretty(f.expected), pretty(f.actual))) io.stdout(`    ${l}\n`);
        }
        if (c.trace && c.trace.length > 0) {
          io.stdout("    trace:\n");
          for (const l of c.trace) io.stdout(`  ${l}\n`);
        }
        io.stdout("\n");
      }
      if (coverage) {
        for (const r of reports) {
          const fired = r.rules - r.unfired.length;
          io.stdout(`coverage: ${r.policyPath}: ${fired}/${r.rules} rules fired${r.compiled ? "" : " (the policy does not compile: nothing ran)"}\n`);
          for (const u of r.unfired) io.stdout(`  never fired: ${u.section} rule ${u.rule} (line ${u.line}): ${u.text}\n`);
        }
        io.stdout(`coverage: ${percent.toFixed(1)}% of ${totalRules} rules fired${threshold !== undefined ? ` (threshold ${threshold}%)` : ""}\n`);
      }
      io.stdout(`${passed} passed, ${failed} failed\n`);
    }
    if (belowThreshold && format === "pretty") {
      io.stderr(
        totalRules === 0
          ? `maa-policy test: no rule was covered (the policies have no rules, or do not compile): a coverage threshold of ${threshold}% cannot be met\n`
          : `maa-policy test: rule coverage ${percent.toFixed(1)}% is below the threshold of ${threshold}%\n`,
      );
    }
    return failed > 0 || belowThreshold ? EXIT.failed : EXIT.ok;
  },
};
