/**
 * P2014 function-arity: a claim function called with too many or too few arguments
 * (`NegateBool(a, b)`, `JmesPath(c.value)`). The service rejects the policy. No automatic fix.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Expr } from "../syntax/ast.js";
import { range, type TextRange } from "../text/text-range.js";
import { FUNCTION_SIGNATURES } from "../functions/signatures.js";
import { isFunctionName } from "./facts.js";
import type { Check } from "./context.js";

/** Check P2014 `function-arity` (see the file comment). */
export const functionArity: Check = {
  code: "P2014",
  scope: "rule",
  run(ctx) {
    for (const { node: n } of ctx.nodes("Call")) {
      {
        if (!isFunctionName(n.callee)) continue;
        const sig = FUNCTION_SIGNATURES[n.callee];
        const expected = sig.params.length;
        const got = n.args.length;
        if (got === expected) continue;
        const params = sig.params.map((p) => p.name).join(", ");
        ctx.report(
          diagnostic(
            "P2014",
            got > expected ? extraArgs(n.args, expected) : n.parenRange,
            `\`${n.callee}\` takes ${expected} argument${expected === 1 ? "" : "s"} (${params}) but is given ${got}`,
          ),
        );
      }
    }
  },
};

/** The range covering the arguments beyond the first `keep`. */
function extraArgs(args: readonly Expr[], keep: number): TextRange {
  const first = args[keep] as Expr;
  const last = args[args.length - 1] as Expr;
  return range(first.range.start, last.range.end);
}
