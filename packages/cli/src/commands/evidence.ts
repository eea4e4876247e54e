/**
 * `maa-policy evidence <file|->`: decodes attestation evidence (an SGX quote, an OpenEnclave
 * report, an SEV-SNP report, a TDX quote, or the JSON body of an attest request), verifies it
 * offline step by step and prints the decoded fields, every step with its result and the incoming
 * claims MAA would give a policy. Exit codes: 0 verified, 1 refused (a check failed or the
 * evidence does not decode), 2 usage or I/O error.
 */
import { EXIT, UsageError, type CliIo, type Command } from "../command.js";
import { oneOf, parseCommandArgs } from "../util/args.js";
import { EVIDENCE_ARGS, EVIDENCE_OPTIONS_HELP, appraisalToJson, appraise, evidenceArgsOf, readEvidenceRequest, renderAppraisal } from "../util/evidence.js";

const FORMATS = ["pretty", "json"] as const;

/** `maa-policy evidence`. */
export const evidenceCommand: Command = {
  name: "evidence",
  usage: `Usage: maa-policy evidence <file|-> [--type SgxEnclave|OpenEnclave|SevSnpVm|TdxVm] [options]

Decodes attestation evidence as the attestation service would, verifies it offline step by step
(signatures, certificate chains to the Intel and AMD roots, the runtime-data binding; TCB status,
QE identity and CRLs when --collateral is given) and prints the decoded fields, every step with
its result, and the incoming claims the policy would see. See docs/evidence.md.

The evidence may be raw bytes, hex, base64 or base64url text, an SEV-SNP JSON report
({"SnpReport", "VcekCertChain"}), or the JSON body of an attest request (quote or report,
runtimeData, initTimeData, nonce); the form is detected from the content.

Options:
${EVIDENCE_OPTIONS_HELP}
  --format <pretty|json>       output format (default: pretty); json prints
                               {"type", "verified", "checks", "claims", "fields", "diagnostics"}
                               with the claims in the claims-file format
  -h, --help                   show this help

Exit codes: 0 verified, 1 refused (a check failed or the evidence does not decode),
2 usage or I/O error.`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      ...EVIDENCE_ARGS,
      format: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return EXIT.ok;
    }
    const format = oneOf("format", values.format, FORMATS, "pretty");
    if (positionals.length === 0) throw new UsageError("no evidence file given (use `-` for standard input)");
    if (positionals.length > 1) throw new UsageError(`one evidence file at a time (got ${positionals.length})`);
    const request = await readEvidenceRequest(positionals[0] as string, evidenceArgsOf(values), io);
    const appraisal = await appraise(request);
    if (format === "json") io.stdout(JSON.stringify(appraisalToJson(appraisal), null, 2) + "\n");
    else io.stdout(renderAppraisal(request.path, appraisal) + "\n");
    return appraisal.verified ? EXIT.ok : EXIT.failed;
  },
};
