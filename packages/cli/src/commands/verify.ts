/**
 * `maa-policy verify <token> --signers <pem> [--trust-model isolated|aad]`: would a provider accept
 * this policy token (or policy signer token)? Exit 0 verified, 1 rejected with the reason.
 */
import { classifyPolicyInput, policyHash, policyTokenHash, verifyPolicyToken, verifySignerToken, type CertificateInfo } from "@maa-policy/core";
import { EXIT, UsageError, type CliIo, type Command } from "../command.js";
import { oneOf, parseCommandArgs } from "../util/args.js";
import { readOperand, readTokenOperand, refusalLine } from "../util/token-io.js";
import { parseAt } from "../util/evidence.js";

const TRUST_MODELS = ["isolated", "aad"] as const;

function describeCert(c: CertificateInfo): string {
  return `\`${c.subject}\` (SHA-256 ${c.thumbprintSha256}, ${c.key}, valid ${c.validFrom} to ${c.validTo})`;
}

/** Certificate facts for JSON output, without the PEM unless asked. */
function certJson(c: CertificateInfo | undefined, withPem: boolean): Omit<CertificateInfo, "pem"> & { pem?: string } | undefined {
  if (!c) return undefined;
  const { pem, ...rest } = c;
  return withPem ? { ...rest, pem } : rest;
}

export const verifyCommand: Command = {
  name: "verify",
  usage: `Usage: maa-policy verify [options] <token file, token, or ->

Decides whether an attestation provider would accept the policy token: the signature must verify
with the x5c[0] certificate, and (isolated trust) that certificate must be a trusted signer.
Unsafe tokens (alg none, HMAC, unknown alg, crit, jwk/jku headers, weak or expired keys) are
rejected with their code. A policy signer token is verified the same way, and the certificate it
carries is shown.

Options:
  --signers <file>              trusted signer certificates, PEM (required for isolated trust)
  --trust-model <isolated|aad>  the provider's model (default: isolated); aad accepts text and
                                unsigned tokens, and checks a signed token's own signature only
  --at <time>                   verification time for certificate validity (ISO 8601; default now)
  --json                        print the result as JSON
  -h, --help                    show this help

Exit codes: 0 verified, 1 rejected (the reason is printed), 2 usage or I/O error.`,

  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      signers: { type: "string" },
      "trust-model": { type: "string" },
      at: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout(this.usage + "\n");
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "no token given" : "give exactly one token");
    const trustModel = oneOf("trust-model", values["trust-model"], TRUST_MODELS, "isolated");
    const now = values.at !== undefined ? parseAt(values.at) : new Date();
    const source = await readTokenOperand(positionals[0] as string, io);
    const kind = classifyPolicyInput(source.text);
    if (values.signers === undefined && (trustModel === "isolated" || kind === "signer")) {
      throw new UsageError("--signers <pem file> is required (isolated trust and signer tokens check the trusted signers)");
    }
    const signers = values.signers === undefined ? "" : (await readOperand(values.signers, io)).text;

    if (kind === "signer") {
      const r = await verifySignerToken(source.text, signers, { now });
      if (values.json) {
        const json = r.verified
          ? { verified: true, kind: "signer", claimName: r.claimName, certificate: certJson(r.certificate, true), signer: certJson(r.signer, false), warnings: r.warnings }
          : { verified: false, kind: "signer", code: r.code, message: r.message };
        io.stdout(JSON.stringify(json, null, 2) + "\n");
      }
      if (!reportOutcome(io, source.path, r)) return EXIT.failed;
      if (!values.json) {
        io.stdout(
          `verified: policy signer token (claim \`${r.claimName}\`) signed by trusted signer ${describeCert(r.signer)}\n` +
            `certificate carried: ${describeCert(r.certificate)}\n\n${r.certificate.pem}`,
        );
      }
      return EXIT.ok;
    }

    const r = await verifyPolicyToken(source.text, signers, { trustModel, now });
    if (values.json) {
      const json = r.verified
        ? {
            verified: true,
            kind: r.kind,
            trustModel,
            signed: r.signed,
            ...(r.header ? { header: r.header } : {}),
            ...(r.payloadForm ? { payloadForm: r.payloadForm } : {}),
            ...(r.signer ? { signer: certJson(r.signer, false) } : {}),
            ...(r.trusted !== undefined ? { trusted: r.trusted } : {}),
            ...(r.text !== undefined ? { text: r.text, policyHash: policyHash(r.text) } : {}),
            ...(r.kind !== "text" ? { policyTokenHash: policyTokenHash(source.text) } : {}),
            warnings: r.warnings,
          }
        : { verified: false, trustModel, code: r.code, message: r.message };
      io.stdout(JSON.stringify(json, null, 2) + "\n");
    }
    if (!reportOutcome(io, source.path, r)) return EXIT.failed;
    if (!values.json) {
      const what = r.kind === "text" ? "policy text" : r.kind === "reset" ? "reset token" : r.signed ? "signed policy token" : "unsigned policy token";
      const by = r.signer ? `; signer: ${r.trusted === true ? "trusted " : r.trusted === false ? "not in --signers " : ""}${describeCert(r.signer)}` : "";
      io.stdout(`verified (${trustModel} trust): ${what}${by}\n`);
      if (r.text !== undefined) io.stdout(`x-ms-policy-hash: ${policyHash(r.text)}\n`);
    }
    return EXIT.ok;
  },
};

/** Prints a refusal, or the warnings of a verified token, to stderr; whether it was verified. */
function reportOutcome<
  R extends { readonly verified: true; readonly warnings: readonly string[] } | { readonly verified: false; readonly code: string; readonly message: string },
>(io: CliIo, file: string, r: R): r is Extract<R, { readonly verified: true }> {
  if (!r.verified) {
    io.stderr(refusalLine(file, r.code, r.message));
    return false;
  }
  for (const w of r.warnings) io.stderr(`${file}: warning ${w}\n`);
  return true;
}
