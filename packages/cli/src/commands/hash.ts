/**
 * `maa-policy hash <policy|token>`: the `x-ms-policy-hash` of a policy (text or token) and, for a
 * token, the `x-ms-policy-token-hash` the service reports when it is set.
 */
import { policyHash, policyTokenHash, unpackPolicy } from "@maa-policy/core";
import { EXIT, UsageError, type CliIo, type Command } from "../command.js";
import { parseCommandArgs } from "../util/args.js";
import { looksLikeToken, readTokenOperand, refusalLine } from "../util/token-io.js";

export const hashCommand: Command = {
  name: "hash",
  usage: `Usage: maa-policy hash [options] <policy file, token file, token, or ->

Anything that is not a compact JWS is hashed as a policy text, byte for byte.
Prints the x-ms-policy-hash an attestation token will carry for this policy:
BASE64URL(SHA256(BASE64URL(UTF-8 policy text))). For a policy token, also the
x-ms-policy-token-hash the service returns when the token is set: BASE64URL(SHA256(token)).

Options:
  --json        print {policyHash, policyTokenHash?}
  -h, --help    show this help

Exit codes: 0 ok, 1 not a policy or policy token, 2 usage or I/O error.`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "no policy or token given" : "give exactly one policy or token");
    const source = await readTokenOperand(positionals[0] as string, io);
    let result: { policyHash?: string; policyTokenHash?: string };
    if (!looksLikeToken(source.text)) {
      result = { policyHash: policyHash(source.text) };
    } else {
      const u = unpackPolicy(source.text);
      if (u.kind === "error") {
        io.stderr(refusalLine(source.path, u.code, u.message));
        return EXIT.failed;
      }
      result = u.kind === "policy" ? { policyHash: policyHash(u.text), policyTokenHash: policyTokenHash(u.token) } : { policyTokenHash: policyTokenHash(u.token) };
    }
    if (values.json) io.stdout(JSON.stringify(result, null, 2) + "\n");
    else {
      if (result.policyHash !== undefined) io.stdout(`x-ms-policy-hash:       ${result.policyHash}\n`);
      if (result.policyTokenHash !== undefined) io.stdout(`x-ms-policy-token-hash: ${result.policyTokenHash}\n`);
    }
    return EXIT.ok;
  },
};
