/**
 * `maa-policy unpack <token|->`: show what a policy token holds (header, signed or not, payload
 * form, policy text, both hashes) without verifying it.
 */
import { policyHash, policyTokenHash, unpackPolicy } from "@maa-policy/core";
import { EXIT, UsageError, type CliIo, type Command } from "../command.js";
import { parseCommandArgs } from "../util/args.js";
import { readTokenOperand, refusalLine } from "../util/token-io.js";

/** Shortens long `x5c` entries for display. */
function displayHeader(header: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(header, (k, v: unknown) =>
    k !== "" && typeof v === "string" && v.length > 40 ? `${v.slice(0, 20)}…(${v.length} chars)` : v,
  );
}

export const unpackCommand: Command = {
  name: "unpack",
  usage: `Usage: maa-policy unpack [options] <token file, token, or ->

Decodes a policy token without verifying it (use \`maa-policy verify\` for that).

Options:
  --json        print {kind, header, signed, payloadForm, text, policyHash, policyTokenHash}
  --text        print only the policy text, byte for byte
  -h, --help    show this help

Exit codes: 0 unpacked, 1 not a policy token (text, malformed, another kind), 2 usage or I/O error.`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      json: { type: "boolean" },
      text: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "no token given" : "give exactly one token");
    if (values.json && values.text) throw new UsageError("--json and --text exclude each other");
    const source = await readTokenOperand(positionals[0] as string, io);
    const u = unpackPolicy(source.text);
    if (u.kind === "error") {
      if (values.json) io.stdout(JSON.stringify({ kind: "error", code: u.code, message: u.message }, null, 2) + "\n");
      io.stderr(refusalLine(source.path, u.code, u.message));
      return EXIT.failed;
    }
    const tokenHash = policyTokenHash(u.token);
    if (u.kind === "reset") {
      if (values.json) io.stdout(JSON.stringify({ kind: "reset", header: u.header, signed: u.signed, policyTokenHash: tokenHash }, null, 2) + "\n");
      else if (!values.text) {
        io.stdout(`kind:          reset token (empty payload: resets the policy to the service default)\nheader:        ${displayHeader(u.header)}\nsigned:        ${u.signed ? "yes" : "no"}\ntoken hash:    ${tokenHash}\n`);
      }
      return EXIT.ok;
    }
    const hash = policyHash(u.text);
    if (values.text) io.stdout(u.text);
    else if (values.json) {
      const json = { kind: "policy", header: u.header, signed: u.signed, payloadForm: u.payloadForm, text: u.text, policyHash: hash, policyTokenHash: tokenHash };
      io.stdout(JSON.stringify(json, null, 2) + "\n");
    } else {
      const signed = u.signed ? `yes (${String(u.header.alg)}; not verified here: use \`maa-policy verify\`)` : "no (alg none)";
      const form = u.payloadForm === "raw" ? "raw text (2018-09-01-preview form)" : "base64url";
      io.stdout(
        `kind:          policy token\nheader:        ${displayHeader(u.header)}\nsigned:        ${signed}\npayload form:  ${form}\n` +
          `policy hash:   ${hash}\ntoken hash:    ${tokenHash}\n\n${u.text}${u.text.endsWith("\n") ? "" : "\n"}`,
      );
    }
    return EXIT.ok;
  },
};
