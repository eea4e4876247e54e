/**
 * `maa-policy eval <policy> --claims <file>`: dry-runs a policy over a claim set and prints the
 * decision, the issued claims, the properties and (with `--trace`) why each rule fired or not.
 * `maa-policy eval <policy> --evidence <file> [evidence options]`: the same dry run from real
 * evidence: the evidence is appraised first (decoded, verified, turned into incoming claims), and
 * the output adds the attestation token MAA would issue.
 * Exit codes: 0 the evaluation ran (whatever the decision), 1 the policy has errors, the
 * evaluation failed or the evidence was refused, 2 usage or I/O error (including malformed claims
 * input).
 */
import {
  LineIndex,
  compile,
  evalResultToJson,
  evaluate,
  isAttestationType,
  parseClaimsInput,
  renderDiagnostic,
  type Diagnostic,
  type EvalResult,
  type InputClaim,
} from "@maa-policy/core";
import { attestationToken, type Appraisal } from "@maa-policy/evidence";
import { EXIT, InputError, UsageError, type CliIo, type Command } from "../command.js";
import { oneOf, parseCommandArgs } from "../util/args.js";
import { renderEvalResult } from "../util/eval-pretty.js";
import {
  EVIDENCE_ARGS,
  EVIDENCE_OPTIONS_HELP,
  appraisalToJson,
  appraise,
  evidenceArgsOf,
  hasEvidenceArgs,
  readEvidenceRequest,
  renderByteDiagnostics,
  renderChecks,
  verdict,
} from "../util/evidence.js";
import { readSource, type SourceFile } from "../util/files.js";
import path from "node:path";

const FORMATS = ["pretty", "json"] as const;
const TRACES = ["off", "rules", "full"] as const;

/** Reads and parses a claims file (or token file); malformed input is an `InputError`. */
export async function readClaims(file: string, io: CliIo, mode: "auto" | "token"): Promise<{ claims: InputClaim[]; attestationType?: string }> {
  const src = await readSource(file === "-" ? "-" : path.resolve(io.cwd, file), io);
  const parsed = parseClaimsInput(src.text, src.path, { mode });
  if (parsed.errors.length > 0) throw new InputError(parsed.errors.join("\n"));
  return parsed.attestationType !== undefined ? { claims: parsed.claims, attestationType: parsed.attestationType } : { claims: parsed.claims };
}

/** The evidence part of `eval --evidence` JSON output: the appraisal without its decoded fields. */
function evidenceSummaryJson(path: string, a: Appraisal): Record<string, unknown> {
  const j = appraisalToJson(a);
  return { path, type: j.type, verified: j.verified, checks: j.checks, diagnostics: j.diagnostics };
}

/** `maa-policy eval`. */
export const evalCommand: Command = {
  name: "eval",
  usage: `Usage: maa-policy eval <policy> (--claims <file> | --claims-from-token <file>) [options]
       maa-policy eval [<policy>] --evidence <file> [evidence options] [options]

Evaluates an attestation policy locally, as the attestation service would, over a set of
incoming claims, and prints the decision, the issued claims and the properties.

Claims input (see docs/claims-input.md):
  --claims <file>              a claims file, a bare array of claims, a shorthand object,
                               or an attestation token (JWT or its JSON payload); \`-\` for stdin
  --claims-from-token <file>   an MAA attestation token (JWT, or its JSON payload): its claims
                               become the incoming claims (the token is not verified)
  --evidence <file>            attestation evidence (see \`maa-policy evidence --help\` and
                               docs/evidence.md): it is decoded and verified, its incoming claims
                               are evaluated, and the output adds the attestation token the
                               service would issue. Without <policy>, the draft policy of an
                               attest request body (draftPolicyForAttestation) is evaluated

Evidence options (with --evidence):
${EVIDENCE_OPTIONS_HELP}

Options:
  --trace <rules|full>     explain the evaluation: each rule, whether it fired and why
  --format <pretty|json>   output format (default: pretty)
  --no-color               never colour the output
  -h, --help               show this help

Exit codes: 0 evaluated (whatever the decision), 1 policy errors, evaluation failed or evidence
refused, 2 usage or I/O error.`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      claims: { type: "string" },
      "claims-from-token": { type: "string" },
      evidence: { type: "string" },
      ...EVIDENCE_ARGS,
      trace: { type: "string" },
      format: { type: "string" },
      "no-color": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return EXIT.ok;
    }
    const format = oneOf("format", values.format, FORMATS, "pretty");
    const trace = oneOf("trace", values.trace, TRACES, "off");
    if (positionals.length > 1) throw new UsageError(`one policy file at a time (got ${positionals.length})`);
    const claimsFile = values.claims;
    const tokenFile = values["claims-from-token"];
    const evidenceFile = values.evidence;
    const given = [claimsFile !== undefined && "--claims", tokenFile !== undefined && "--claims-from-token", evidenceFile !== undefined && "--evidence"].filter((x): x is string => typeof x === "string");
    if (given.length === 0) throw new UsageError("give the claims with --claims <file>, --claims-from-token <file> or --evidence <file>");
    if (given.length > 1) throw new UsageError(`give one of --claims, --claims-from-token and --evidence (got ${given.join(" and ")})`);
    const evidenceArgs = evidenceArgsOf(values);
    if (evidenceFile === undefined && hasEvidenceArgs(evidenceArgs)) throw new UsageError("the evidence options (--type, --runtime-data, --collateral, --at …) need --evidence <file>");
    if (positionals.length === 0 && evidenceFile === undefined) throw new UsageError("no policy file given");
    const policyArg = positionals[0];
    const inputArg = (claimsFile ?? tokenFile ?? evidenceFile) as string;
    if (policyArg === "-" && inputArg === "-") throw new UsageError("standard input cannot hold both the policy and the claims");
    if (policyArg === "-" && [evidenceArgs.runtimeData, evidenceArgs.initTimeData, evidenceArgs.collateral].includes("-")) throw new UsageError("standard input cannot hold both the policy and an evidence option's file");
    const color = io.isTTY && values["no-color"] !== true && io.env["NO_COLOR"] === undefined;

    let source: SourceFile | undefined = policyArg !== undefined ? await readSource(policyArg === "-" ? "-" : path.resolve(io.cwd, policyArg), io) : undefined;
    let claims: readonly InputClaim[];
    let attestationType: string | undefined;
    let evidence: { path: string; appraisal: Appraisal; now: Date } | undefined;
    if (evidenceFile !== undefined) {
      const request = await readEvidenceRequest(evidenceFile, evidenceArgs, io);
      const appraisal = await appraise(request);
      evidence = { path: request.path, appraisal, now: request.options.now };
      if (source === undefined) {
        const draft = appraisal.input?.draftPolicyForAttestation;
        if (draft === undefined) throw new UsageError(`no policy file given, and ${request.path} holds no draftPolicyForAttestation`);
        source = { path: `${request.path} (draftPolicyForAttestation)`, absolutePath: undefined, text: draft };
      }
      if (!appraisal.verified) {
        // The service refuses such evidence before any policy runs: there is nothing to evaluate.
        if (format === "json") {
          const json = { evidence: evidenceSummaryJson(request.path, appraisal), decision: "error", incoming: [], outgoing: [], properties: [], token: {}, diagnostics: [], trace: null, attestationToken: null };
          io.stdout(JSON.stringify(json, null, 2) + "\n");
        } else {
          io.stdout(renderEvidenceHead(request.path, appraisal).join("\n") + "\n");
          io.stdout(`${request.path}: the evidence was refused: the attestation service would not evaluate ${source.path}\n`);
        }
        return EXIT.failed;
      }
      claims = appraisal.claims;
      attestationType = appraisal.type;
    } else {
      const input = await readClaims(inputArg, io, tokenFile !== undefined ? "token" : "auto");
      claims = input.claims;
      attestationType = input.attestationType;
    }
    const policy = source as SourceFile;

    // The attestation type named by the claims (file, token or evidence) informs the linter's claim checks.
    const at = attestationType;
    const compiled = compile(policy.text, at !== undefined && isAttestationType(at) ? { attestationType: at } : {});
    let result: EvalResult;
    let diagnostics: Diagnostic[] = [...compiled.diagnostics];
    if (compiled.policy === undefined) {
      result = { decision: "error", incoming: [], outgoing: [], properties: [], token: {}, diagnostics };
    } else {
      const r = evaluate(compiled.policy, claims, { trace });
      diagnostics = [...diagnostics, ...r.diagnostics];
      result = { ...r, diagnostics };
    }
    const token = evidence !== undefined && result.decision === "permit" ? await attestationToken(evidence.appraisal, result, { now: evidence.now, policyText: policy.text }) : undefined;
    if (format === "json") {
      const json: Record<string, unknown> = { ...evalResultToJson(result, policy.text) };
      if (evidence !== undefined) {
        json["evidence"] = evidenceSummaryJson(evidence.path, evidence.appraisal);
        json["attestationToken"] = token ?? null;
      }
      io.stdout(JSON.stringify(json, jsonReplacer, 2) + "\n");
    } else {
      if (evidence !== undefined) io.stdout(renderEvidenceHead(evidence.path, evidence.appraisal).join("\n") + "\n\n");
      const index = new LineIndex(policy.text);
      for (const d of diagnostics) io.stdout(renderDiagnostic(policy.text, d, { fileName: policy.path, color, lineIndex: index }) + "\n\n");
      if (compiled.policy === undefined) io.stdout(`${policy.path}: the policy has errors: not evaluated\n`);
      else io.stdout(renderEvalResult(result, policy.text) + "\n");
      if (evidence !== undefined && compiled.policy !== undefined) {
        if (token !== undefined) io.stdout(`attestation token (the claims a relying party would receive):\n${indent(JSON.stringify(token, jsonReplacer, 2))}\n`);
        else io.stdout(`attestation token: none (the service issues no token when the decision is ${result.decision})\n`);
      }
    }
    return compiled.policy === undefined || result.decision === "error" ? EXIT.failed : EXIT.ok;
  },
};

/** Integers beyond 2^53 print as decimal strings, as everywhere in the JSON output. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

/** The evidence lines of `eval --evidence`: the verdict, the diagnostics and every check. */
function renderEvidenceHead(path: string, a: Appraisal): string[] {
  const lines = [`evidence: ${path}: ${a.type} evidence: ${verdict(a)}`];
  lines.push(...renderByteDiagnostics(path, a.diagnostics).map((l) => `  ${l}`));
  lines.push(...renderChecks(a.checks));
  return lines;
}
