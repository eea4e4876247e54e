/**
 * Whether a policy text can be stored (and run): policy-core's `compile` without the linter, so
 * exactly the policies the evaluator can run are accepted. The first error becomes the service's
 * `PolicyParsingError` with our diagnostic code, line and column in the message.
 */
import { LineIndex, compile, type CompiledPolicy, type Diagnostic } from "@maa-policy/core";
import { ServiceError } from "./errors.js";

/** `code at line L, column C: message` (1-based) for a diagnostic of `text`. */
export function describeDiagnostic(text: string, d: Diagnostic): string {
  const pos = new LineIndex(text).position(d.range.start);
  return `${d.code} at line ${pos.line + 1}, column ${pos.character + 1}: ${d.message}`;
}

/** The compiled policy of `text`; throws 400 PolicyParsingError when it has errors. */
export function compileOrThrow(text: string): CompiledPolicy {
  const { policy, diagnostics } = compile(text, { lint: false });
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (!policy || errors.length > 0) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? "s" : ""})` : "";
    throw new ServiceError("PolicyParsingError", `Invalid policy was specified: Policy Parser Exception Thrown: ${first ? describeDiagnostic(text, first) : "the policy cannot be compiled"}${more}`);
  }
  return policy;
}
