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

/**
 * Compiled policies by text: the same few policies are set, attested with and sent as drafts again
 * and again. Compiling is a pure function of the text and a compiled policy is never changed, so
 * the cache is invisible. Bounded, since drafts come from any client: at most 64 policies of up to
 * 64 Ki characters each (a longer one is compiled each time); cleared when full. Refused texts are
 * not kept.
 */
const COMPILED = new Map<string, CompiledPolicy>();
const COMPILED_SIZE = 64;
const COMPILED_TEXT = 64 * 1024;

/** The compiled policy of `text`; throws 400 PolicyParsingError when it has errors. */
export function compileOrThrow(text: string): CompiledPolicy {
  const hit = COMPILED.get(text);
  if (hit !== undefined) return hit;
  const { policy, diagnostics } = compile(text, { lint: false });
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (!policy || errors.length > 0) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? "s" : ""})` : "";
    throw new ServiceError("PolicyParsingError", `Invalid policy was specified: Policy Parser Exception Thrown: ${first ? describeDiagnostic(text, first) : "the policy cannot be compiled"}${more}`);
  }
  if (text.length <= COMPILED_TEXT) {
    if (COMPILED.size >= COMPILED_SIZE) COMPILED.clear();
    COMPILED.set(text, policy);
  }
  return policy;
}
