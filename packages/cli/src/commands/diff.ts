/**
 * `maa-policy diff <old> <new>`: what changing a policy does. Evaluates both policies on every
 * given input (claims files, tokens, policy test files, real evidence) and on inputs generated from the two
 * texts, and reports each difference in decision, issued claims and properties with the smallest
 * input that shows it and both traces; policies equal up to layout, comments, renamed variables
 * or rule order that cannot matter are reported equivalent without searching.
 * Exit codes: 0 no difference (or only kinds `--fail-on` ignores), 1 differences, 2 usage or I/O
 * error, or a policy with errors.
 */
import path from "node:path";
import {
  diffPolicies,
  isAttestationType,
  parseClaimsInput,
  policyDiffToJson,
  renderDiffMarkdown,
  type ChangeKind,
  type DiffInput,
  type InputClaim,
  CHANGE_KINDS,
} from "@maa-policy/core";
import { EXIT, InputError, UsageError, type CliIo, type Command } from "../command.js";
import { oneOf, parseCommandArgs } from "../util/args.js";
import { renderDiffPretty } from "../util/diff-pretty.js";
import { EVIDENCE_ARGS, EVIDENCE_OPTIONS_HELP, appraise, evidenceArgsOf, hasEvidenceArgs, readEvidenceRequest } from "../util/evidence.js";
import { expandOperands, readSource } from "../util/files.js";

const FORMATS = ["pretty", "json", "markdown"] as const;
const INPUT_EXTENSIONS = [".json", ".jwt"];
const TEST_SUFFIX = ".policytest.json";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads the inputs of one file: a claims file or token, or every case of a policy test file. */
async function readInputs(file: string, io: CliIo): Promise<{ inputs: DiffInput[]; attestationType?: string }> {
  const src = await readSource(file, io);
  if (file.endsWith(TEST_SUFFIX)) {
    let data: unknown;
    try {
      data = JSON.parse(src.text);
    } catch (e) {
      throw new InputError(`${src.path}: not valid JSON: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
    if (!isObject(data) || !Array.isArray(data["cases"])) throw new InputError(`${src.path}: $.cases: a policy test file lists its cases in \`cases\``);
    const inputs: DiffInput[] = [];
    for (const [i, c] of (data["cases"] as unknown[]).entries()) {
      const p = `$.cases[${i}]`;
      if (!isObject(c)) throw new InputError(`${src.path}: ${p}: a case is an object with \`claims\` or \`claimsFile\``);
      const name = `${src.path}: ${typeof c["name"] === "string" ? c["name"] : p}`;
      let claims: InputClaim[];
      if (typeof c["claimsFile"] === "string") {
        const cf = await readSource(path.resolve(path.dirname(file), c["claimsFile"]), io);
        const parsed = parseClaimsInput(cf.text, cf.path);
        if (parsed.errors.length > 0) throw new InputError(parsed.errors.join("\n"));
        claims = parsed.claims;
      } else if (c["claims"] !== undefined) {
        const parsed = parseClaimsInput(JSON.stringify(c["claims"]), `${src.path} ${p}.claims`);
        if (parsed.errors.length > 0) throw new InputError(parsed.errors.join("\n"));
        claims = parsed.claims;
      } else throw new InputError(`${src.path}: ${p}: a case needs \`claims\` or \`claimsFile\``);
      inputs.push({ name, claims });
    }
    return { inputs };
  }
  const parsed = parseClaimsInput(src.text, src.path);
  if (parsed.errors.length > 0) throw new InputError(parsed.errors.join("\n"));
  const out: { inputs: DiffInput[]; attestationType?: string } = { inputs: [{ name: src.path, claims: parsed.claims }] };
  if (parsed.attestationType !== undefined) out.attestationType = parsed.attestationType;
  return out;
}

function positiveInt(option: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^[1-9]\d{0,6}$/.test(v)) throw new UsageError(`--${option} must be a positive integer (got \`${v}\`)`);
  return Number(v);
}

/** `maa-policy diff`. */
export const diffCommand: Command = {
  name: "diff",
  usage: `Usage: maa-policy diff <old> <new> [--claims <file|dir>]... [--evidence <file>]... [options]

Compares two attestation policies: evaluates both on every given input and on inputs generated
from the two texts (the constants, comparison boundaries, claim types, issuers, negations and
JMESPath queries they test), and reports each difference in decision, issued claims or properties
with the smallest input that shows it and the trace of both policies. Policies that are the same
up to layout, comments, renamed claim variables or rule order that cannot matter are reported
equivalent without searching. The search is not a proof (see docs/diff.md).

Inputs:
  --claims <file|dir>      a claims file, an attestation token, or a policy test file
                           (*.policytest.json: each case); a directory adds every .json and
                           .jwt file below it (except maa-policy.config.json); repeatable
  --evidence <file>        attestation evidence, appraised as \`maa-policy eval --evidence\`
                           does (decoded, verified, turned into incoming claims): its claims
                           are one more input, named after the file; refused evidence is an
                           error (exit 2), never compared; repeatable

Evidence options (with --evidence; they apply to every --evidence file):
${EVIDENCE_OPTIONS_HELP}

Options:
  --format <pretty|json|markdown>   output format (default: pretty); markdown is a table
                                    fit for a pull-request comment
  --fail-on <kinds>        exit 1 only for these kinds of change (comma-separated, repeatable):
                           deny-more (permitted before, denied or failing now), permit-more
                           (denied or failing before, permitted now), claims (other issued
                           claims or properties), error (deny became a failure or back)
  --no-search              compare on the given inputs only
  --max-inputs <n>         at most n generated inputs (default 5000)
  --max-differences <n>    report at most n differences in detail (default 20)
  --no-color               never colour the output
  -h, --help               show this help

Exit codes: 0 no difference (or none of the --fail-on kinds), 1 differences, 2 usage or I/O
error, or a policy with errors.`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      claims: { type: "string", multiple: true },
      evidence: { type: "string", multiple: true },
      ...EVIDENCE_ARGS,
      format: { type: "string" },
      "fail-on": { type: "string", multiple: true },
      "no-search": { type: "boolean" },
      "max-inputs": { type: "string" },
      "max-differences": { type: "string" },
      "no-color": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return EXIT.ok;
    }
    const format = oneOf("format", values.format, FORMATS, "pretty");
    const failOn = new Set<ChangeKind>();
    for (const v of values["fail-on"] ?? []) {
      for (const k of v.split(",").map((x) => x.trim())) {
        if (!(CHANGE_KINDS as readonly string[]).includes(k)) throw new UsageError(`--fail-on must name ${CHANGE_KINDS.join(", ")} (got \`${k}\`)`);
        failOn.add(k as ChangeKind);
      }
    }
    const maxInputs = positiveInt("max-inputs", values["max-inputs"], 5000);
    const maxDifferences = positiveInt("max-differences", values["max-differences"], 20);
    if (positionals.length !== 2) throw new UsageError(`give the old and the new policy (got ${positionals.length} file${positionals.length === 1 ? "" : "s"})`);
    const [oldArg, newArg] = positionals as [string, string];
    if (oldArg === "-" && newArg === "-") throw new UsageError("standard input cannot hold both policies");
    const oldSrc = await readSource(oldArg === "-" ? "-" : path.resolve(io.cwd, oldArg), io);
    const newSrc = await readSource(newArg === "-" ? "-" : path.resolve(io.cwd, newArg), io);

    const inputs: DiffInput[] = [];
    let attestationType: string | undefined;
    const files = (values.claims ?? []).length > 0 ? await expandOperands(values.claims ?? [], io.cwd, INPUT_EXTENSIONS) : [];
    for (const f of files) {
      if (f === "-") throw new UsageError("--claims cannot read standard input here: give a file");
      // A directory may hold the linter's configuration next to the claims: it is not an input.
      if (path.basename(f) === "maa-policy.config.json") continue;
      const r = await readInputs(f, io);
      inputs.push(...r.inputs);
      attestationType ??= r.attestationType;
    }
    const evidenceFiles = values.evidence ?? [];
    const evidenceArgs = evidenceArgsOf(values);
    if (evidenceFiles.length === 0 && hasEvidenceArgs(evidenceArgs)) throw new UsageError("the evidence options (--type, --runtime-data, --collateral, --at …) need --evidence <file>");
    const stdinUsers = [oldArg, newArg, ...evidenceFiles, evidenceArgs.runtimeData, evidenceArgs.initTimeData, evidenceArgs.collateral].filter((x) => x === "-").length;
    if (stdinUsers > 1) throw new UsageError("standard input can hold only one file (a policy, an evidence file or an evidence option's file)");
    for (const f of evidenceFiles) {
      const request = await readEvidenceRequest(f, evidenceArgs, io);
      const appraisal = await appraise(request);
      if (!appraisal.verified) {
        // The service refuses such evidence before any policy runs: comparing on it would mean nothing.
        const failed = appraisal.checks.find((c) => c.status === "failed");
        const error = appraisal.diagnostics.find((d) => d.severity === "error");
        const reason = failed !== undefined ? `${failed.title} (${failed.id}): ${failed.detail}` : error !== undefined ? `${error.code} ${error.message}` : "not verified";
        throw new InputError(`${request.path}: the ${appraisal.type} evidence was refused: ${reason}; the attestation service would evaluate neither policy on it (see \`maa-policy evidence ${f}\`)`);
      }
      inputs.push({ name: request.path, claims: appraisal.claims });
      attestationType ??= appraisal.type;
    }
    const at = attestationType;
    const diff = diffPolicies(oldSrc.text, newSrc.text, {
      inputs,
      search: values["no-search"] !== true,
      maxInputs,
      maxDifferences,
      ...(at !== undefined && isAttestationType(at) ? { compile: { attestationType: at } } : {}),
    });
    const sources = { oldName: oldSrc.path, oldText: oldSrc.text, newName: newSrc.path, newText: newSrc.text };
    if (format === "json") io.stdout(JSON.stringify(policyDiffToJson(diff, sources), null, 2) + "\n");
    else if (format === "markdown") io.stdout(renderDiffMarkdown(policyDiffToJson(diff, sources)));
    else io.stdout(renderDiffPretty(diff, sources, io.isTTY && values["no-color"] !== true && io.env["NO_COLOR"] === undefined));
    if (diff.status === "error") {
      const bad = [diff.diagnostics.old.some((d) => d.severity === "error") ? oldSrc.path : undefined, diff.diagnostics.new.some((d) => d.severity === "error") ? newSrc.path : undefined];
      if (format !== "pretty") io.stderr(`maa-policy diff: cannot compare: ${bad.filter((x) => x !== undefined).join(" and ")}: the policy has errors\n`);
      return EXIT.usage;
    }
    if (diff.summary.differences === 0) return EXIT.ok;
    if (failOn.size === 0) return EXIT.failed;
    return CHANGE_KINDS.some((k) => failOn.has(k) && diff.summary.kinds[k] > 0) ? EXIT.failed : EXIT.ok;
  },
};
