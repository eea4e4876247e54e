/**
 * Failures inside the evaluator. `EvalFailure` unwinds an evaluation and is caught only in
 * `evaluate()`, which turns it into a P3xxx diagnostic and the decision `error`. `FunctionError`
 * is what a builtin throws; the evaluator adds the rule and the call to its message.
 */
import type { DiagnosticCode } from "../diagnostics/catalog/index.js";
import type { TextRange } from "../text/text-range.js";

/** An evaluation failure: unwinds to `evaluate()`, never escapes it. */
export class EvalFailure extends Error {
  override readonly name = "EvalFailure";
  constructor(
    readonly code: DiagnosticCode,
    readonly range: TextRange,
    message: string,
  ) {
    super(message);
  }
}

/** A builtin's complaint about its arguments or data; the evaluator wraps it into an `EvalFailure`. */
export class FunctionError extends Error {
  override readonly name = "FunctionError";
  constructor(
    readonly code: "P3001" | "P3002" | "P3003" | "P3004" | "P3006",
    message: string,
  ) {
    super(message);
  }
}
