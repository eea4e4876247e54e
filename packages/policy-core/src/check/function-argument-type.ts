/**
 * P2015 function-argument-type: an argument whose type the function can never accept, visible
 * statically: a literal (`AppendString(true, "x")`, `NegateBool("yes")`), a nested call with a
 * known result type, or `c.value` of a catalogued claim (`NegateBool(c.value)` where `c` tests
 * the Integer claim `x-ms-sgx-svn`). Evaluation would fail. No automatic fix.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import { FUNCTION_SIGNATURES } from "../functions/signatures.js";
import type { Call, Rule } from "../syntax/ast.js";
import { isFunctionName, staticType, typeAccepts } from "./facts.js";
import type { Check } from "./context.js";

/** Check P2015 `function-argument-type` (see the file comment). */
export const functionArgumentType: Check = {
  code: "P2015",
  scope: "rule",
  run(ctx) {
    for (const { node: n, rule } of ctx.nodes("Call")) checkCall(n, rule, ctx.report.bind(ctx));
  },
};

function checkCall(n: Call, rule: Rule, report: (d: ReturnType<typeof diagnostic>) => void): void {
  {
    if (!isFunctionName(n.callee)) return;
    const sig = FUNCTION_SIGNATURES[n.callee];
    n.args.forEach((arg, i) => {
      const param = sig.params[i];
      if (!param) return;
      const actual = staticType(arg, rule);
      if (typeAccepts(param.type, actual)) return;
      const expected = param.type === "Json" ? "JSON text (a String)" : `a ${param.type}`;
      report(
        diagnostic("P2015", arg.range, `argument \`${param.name}\` of \`${n.callee}\` must be ${expected}: this is ${article(actual)} ${actual}`),
      );
    });
  }
}

function article(t: string): string {
  return /^[AEIOU]/.test(t) ? "an" : "a";
}
