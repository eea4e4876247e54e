/** P3xxx: evaluation (compiling a policy for the evaluator, and running it). */
import type { CatalogEntry } from "./types.js";

export const evalCodes = {
  P3001: { slug: "invalid-json", phase: "eval", severity: "error", summary: "a function was given text that is not JSON" },
  P3002: { slug: "jmespath-failed", phase: "eval", severity: "error", summary: "a JMESPath query is invalid or failed on its data" },
  P3003: { slug: "argument-type", phase: "eval", severity: "error", summary: "a function argument has the wrong type (`NegateBool(\"yes\")`)" },
  P3004: { slug: "json-not-claim-value", phase: "eval", severity: "error", summary: "`JsonToClaimValue` was given an object, a nested array, a fraction or an integer out of range" },
  P3005: { slug: "read-only-issued", phase: "eval", severity: "error", summary: "a value derived from a read-only claim (`pcrs`) was issued" },
  P3006: { slug: "evaluation-limit", phase: "eval", severity: "error", summary: "evaluation stopped: its step, depth or string budget was exhausted" },
  P3007: { slug: "invalid-input-claim", phase: "eval", severity: "error", summary: "an input claim is malformed (type, value or valueType)" },
  P3008: { slug: "invalid-claim-argument", phase: "eval", severity: "error", summary: "an action built a claim from a bad type, issuer or valueType, or a value that does not convert" },
  P3009: { slug: "not-executable", phase: "eval", severity: "error", summary: "the policy cannot be evaluated (unbound identifier, unknown function, missing argument …)" },
} as const satisfies Record<string, CatalogEntry>;
