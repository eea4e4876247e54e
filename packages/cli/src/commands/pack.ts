/**
 * `maa-policy pack <policy> [--key K --cert C… --alg A] [--force]`: print the JWS to send to the
 * service, unsigned or signed. The policy is checked first (`check`: syntax and lint); one with
 * errors is refused unless --force.
 */
import { LineIndex, PolicyTokenError, check, packPolicy, renderDiagnostic } from "@maa-policy/core";
import { EXIT, UsageError, type CliIo, type Command } from "../command.js";
import { parseCommandArgs } from "../util/args.js";
import { readOperand, readOperands, refusalLine } from "../util/token-io.js";

export const packCommand: Command = {
  name: "pack",
  usage: `Usage: maa-policy pack [options] <policy file or ->

Prints the policy token: {"alg":"none"} unless a key is given, else signed with the key and the
certificate chain in x5c (RS256 for RSA keys). The policy is checked first (as by
\`maa-policy check\`) and refused when it has errors, unless --force.

Options:
  --key <file>       the signer's private key, PEM (PKCS#8, PKCS#1 or EC)
  --cert <file>      the signer's certificate, PEM; repeat for a chain (signer first)
  --alg <alg>        signing algorithm: RS256 (default for RSA), PS256 … ES256 … (with a warning)
  --force            pack even when the policy has errors
  -h, --help         show this help

Exit codes: 0 packed, 1 refused (policy errors, key or certificate problem), 2 usage or I/O error.`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      key: { type: "string" },
      cert: { type: "string", multiple: true },
      alg: { type: "string" },
      force: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "no policy file given" : "give exactly one policy file");
    const certs = values.cert ?? [];
    if ((values.key === undefined) !== (certs.length === 0)) throw new UsageError("--key and --cert go together");
    if (values.alg !== undefined && values.key === undefined) throw new UsageError("--alg needs --key and --cert");
    const policy = await readOperand(positionals[0] as string, io);
    const diagnostics = check(policy.text).diagnostics;
    const errors = diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) {
      const index = new LineIndex(policy.text);
      for (const d of diagnostics) io.stderr(renderDiagnostic(policy.text, d, { fileName: policy.path, color: false, lineIndex: index }) + "\n\n");
      if (values.force !== true) {
        io.stderr(`${policy.path}: not packed: ${errors.length} error${errors.length === 1 ? "" : "s"} (use --force to pack anyway)\n`);
        return EXIT.failed;
      }
    }
    const key = values.key === undefined ? undefined : (await readOperand(values.key, io)).text;
    const certificates = (await readOperands(certs, io)).map((f) => f.text);
    try {
      const { token, warnings } = await packPolicy(policy.text, { key, certificates, alg: values.alg });
      for (const w of warnings) io.stderr(`${policy.path}: warning ${w}\n`);
      io.stdout(token + "\n");
      return EXIT.ok;
    } catch (e) {
      if (e instanceof PolicyTokenError) {
        io.stderr(refusalLine(policy.path, e.code, e.message));
        return EXIT.failed;
      }
      throw e;
    }
  },
};
