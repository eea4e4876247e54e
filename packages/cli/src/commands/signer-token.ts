/**
 * `maa-policy signer-token --add <cert.pem> --key <signer-key.pem> --cert <signer-cert.pem>`: make
 * the policy signer token that adds (or removes) a trusted signer certificate.
 */
import { PolicyTokenError, SIGNER_CLAIMS, createSignerToken } from "@maa-policy/core";
import { EXIT, UsageError, type CliIo, type Command } from "../command.js";
import { oneOf, parseCommandArgs } from "../util/args.js";
import { readOperand, readOperands, refusalLine } from "../util/token-io.js";

export const signerTokenCommand: Command = {
  name: "signer-token",
  usage: `Usage: maa-policy signer-token --add <cert.pem> --key <signer-key.pem> --cert <signer-cert.pem> [options]

Prints a JWS signed by an existing trusted signer whose payload names the certificate to add (or
remove): {"policyCertificate": {"kty": "RSA", "x5c": ["<certificate>"]}}.

Options:
  --add <file>          the certificate to add or remove, PEM
  --key <file>          the signing (already trusted) signer's private key, PEM
  --cert <file>         the signing signer's certificate, PEM; repeat for a chain
  --claim-name <name>   ${SIGNER_CLAIMS.join(" | ")} (default: policyCertificate;
                        maa-policyCertificate is the 2018-09-01-preview name)
  --alg <alg>           signing algorithm (default RS256 for RSA keys)
  -h, --help            show this help

Exit codes: 0 made, 1 refused (key or certificate problem), 2 usage or I/O error.`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      add: { type: "string" },
      key: { type: "string" },
      cert: { type: "string", multiple: true },
      "claim-name": { type: "string" },
      alg: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``);
    if (values.add === undefined) throw new UsageError("--add <cert.pem> is required");
    if (values.key === undefined || values.cert === undefined) throw new UsageError("--key and --cert (the signing signer) are required");
    const claimName = oneOf("claim-name", values["claim-name"], SIGNER_CLAIMS, "policyCertificate");
    const add = await readOperand(values.add, io);
    const key = await readOperand(values.key, io);
    const chain = (await readOperands(values.cert, io)).map((f) => f.text);
    try {
      const { token, warnings } = await createSignerToken(add.text, key.text, chain, { claimName, alg: values.alg });
      for (const w of warnings) io.stderr(`signer-token: warning ${w}\n`);
      io.stdout(token + "\n");
      return EXIT.ok;
    } catch (e) {
      if (e instanceof PolicyTokenError) {
        io.stderr(refusalLine("signer-token", e.code, e.message));
        return EXIT.failed;
      }
      throw e;
    }
  },
};
