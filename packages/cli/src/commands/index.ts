/**
 * The registry of `maa-policy` sub-commands, in the order `--help` lists them. Each command's
 * module is loaded only when that command runs: `check` does not load the service (Fastify) or
 * the evidence verifier (X.509, ASN.1), which are most of the bundle, and the bundle keeps each
 * command's modules in a chunk of their own (`scripts/bundle-cli.mjs`).
 */
import type { Command } from "../command.js";

/** A command as `--help` lists it, and how to load it. */
export interface CommandEntry {
  readonly name: string;
  /** One line for `maa-policy --help`. */
  readonly summary: string;
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  { name: "check", summary: "lint policies (syntax and semantic checks); exit 1 when problems are found", load: async () => (await import("./check.js")).checkCommand },
  { name: "fmt", summary: "format policies in the house style (print, --write, --check or --diff)", load: async () => (await import("./fmt.js")).fmtCommand },
  { name: "eval", summary: "evaluate a policy over a claim set or real evidence: decision, issued claims, token", load: async () => (await import("./eval.js")).evalCommand },
  { name: "evidence", summary: "decode and verify attestation evidence; print its fields, checks and incoming claims", load: async () => (await import("./evidence.js")).evidenceCommand },
  { name: "diff", summary: "compare two policies: which inputs change decision or issued claims", load: async () => (await import("./diff.js")).diffCommand },
  { name: "test", summary: "run policy test files (*.policytest.json); exit 1 when a case fails", load: async () => (await import("./test.js")).testCommand },
  { name: "pack", summary: "pack a policy into the JWS the service takes (unsigned, or signed with --key/--cert)", load: async () => (await import("./pack.js")).packCommand },
  { name: "unpack", summary: "show a policy token's header, signature state, payload form, policy text and hashes", load: async () => (await import("./unpack.js")).unpackCommand },
  { name: "verify", summary: "verify a signed policy token or policy signer token against trusted signers", load: async () => (await import("./verify.js")).verifyCommand },
  { name: "signer-token", summary: "make a policy signer token that adds or removes a trusted signer certificate", load: async () => (await import("./signer-token.js")).signerTokenCommand },
  { name: "hash", summary: "print a policy's x-ms-policy-hash (and a token's x-ms-policy-token-hash)", load: async () => (await import("./hash.js")).hashCommand },
  { name: "serve", summary: "run a local attestation service (MAA's REST API) with providers, policies and signers", load: async () => (await import("./serve.js")).serveCommand },
];
