/**
 * `maa-policy eval <policy> --claims <file>`: dry-runs a policy over a claim set and prints the
 * decision, the issued claims, the properties and (with `--trace`) why each rule fired or not.
 * Exit codes: 0 the evaluation ran (whatever the decision), 1 the policy has errors or the
 * evaluation failed, 2 usage or I/O error (including malformed claims input).
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
import { EXIT, InputError, UsageError, type CliIo, type Command } from "../command.js";
import { oneOf, parseCommandArgs } from "../util/args.js";
import { renderEvalResult } from "../util/eval-pretty.js";
import { readSource } from "../util/files.js";
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

/** `maa-policy eval`. */
export const evalCommand: Command = {
  name: "eval",
  summary: "evaluate a policy over a claim set: decision, issued claims, trace",
  usage: `Usage: maa-policy eval <policy> (--claims <file> | --claims-from-token <file>) [options]

Evaluates an attestation policy locally, as the attestation service would, over a set of
incoming claims, and prints the decision, the issued claims and the properties.

Claims input (see docs/claims-input.md):
  --claims <file>              a claims file, a bare array of claims, a shorthand object,
                               or an attestation token (JWT or its JSON payload); \`-\` for stdin
  --claims-from-token <file>   an MAA attestation token (JWT, or its JSON payload): its claims
                               become the incoming claims (the token is not verified)

Options:
  --trace <rules|full>     explain the evaluation: each rule, whether it fired and why
  --format <pretty|json>   output format (default: pretty)
  --no-color               never colour the output
  -h, --help               show this help

Exit codes: 0 evaluated (whatever the decision), 1 policy errors or evaluation failed,
2 usage or I/O error.`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      claims: { type: "string" },
      "claims-from-token": { type: "string" },
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
    if (positionals.length === 0) throw new UsageError("no policy file given");
    if (positionals.length > 1) throw new UsageError(`one policy file at a time (got ${positionals.length})`);
    const claimsFile = values.claims;
    const tokenFile = values["claims-from-token"];
    if (claimsFile === undefined && tokenFile === undefined) throw new UsageError("give the claims with --claims <file> or --claims-from-token <file>");
    if (claimsFile !== undefined && tokenFile !== undefined) throw new UsageError("give either --claims or --claims-from-token, not both");
    const policyArg = positionals[0] as string;
    if (policyArg === "-" && (claimsFile === "-" || tokenFile === "-")) throw new UsageError("standard input cannot hold both the policy and the claims");
    const source = await readSource(policyArg === "-" ? "-" : path.resolve(io.cwd, policyArg), io);
    const input = await readClaims((claimsFile ?? tokenFile) as string, io, tokenFile !== undefined ? "token" : "auto");

    // The attestation type named by the claims (file or token) informs the linter's claim checks.
    const at = input.attestationType;
    const compiled = compile(source.text, at !== undefined && isAttestationType(at) ? { attestationType: at } : {});
    let result: EvalResult;
    let diagnostics: Diagnostic[] = [...compiled.diagnostics];
    if (compiled.policy === undefined) {
      result = { decision: "error", incoming: [], outgoing: [], properties: [], token: {}, diagnostics };
    } else {
      const r = evaluate(compiled.policy, input.claims, { trace });
      diagnostics = [...diagnostics, ...r.diagnostics];
      result = { ...r, diagnostics };
    }
    if (format === "json") {
      io.stdout(JSON.stringify(evalResultToJson(result, source.text), null, 2) + "\n");
    } else {
      const color = io.isTTY && values["no-color"] !== true && io.env["NO_COLOR"] === undefined;
      const index = new LineIndex(source.text);
      for (const d of diagnostics) io.stdout(renderDiagnostic(source.text, d, { fileName: source.path, color, lineIndex: index }) + "\n\n");
      if (compiled.policy === undefined) io.stdout(`${source.path}: the policy has errors: not evaluated\n`);
      else io.stdout(renderEvalResult(result, source.text) + "\n");
    }
    return compiled.policy === undefined || result.decision === "error" ? EXIT.failed : EXIT.ok;
  },
};
