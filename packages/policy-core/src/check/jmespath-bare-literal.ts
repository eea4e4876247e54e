/**
 * P2017 jmespath-bare-literal: a JMESPath query compares with `true` or `false` written
 * without backticks (`[?enabled == true]`). In JMESPath a bare word is a field name, so this
 * compares with the (usually missing) field `true` and never matches as intended. The fix wraps
 * the word in backticks, making it a JSON literal.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { analyseQuery, literalQueries, problemRange } from "./jmespath-analysis.js";
import type { Check } from "./context.js";

/** Check P2017 `jmespath-bare-literal` (see the file comment). */
export const jmespathBareLiteral: Check = {
  code: "P2017",
  scope: "rule",
  run(ctx) {
    for (const { literal } of literalQueries(ctx)) {
      for (const p of analyseQuery(literal.value).bareLiterals) {
        const r = problemRange(ctx.text, literal, p);
        ctx.report(
          diagnostic("P2017", r, `\`${p.message}\` without backticks is a field name in JMESPath: write \`\`${p.message}\`\` for the literal`, {
            fix: fixOf(`wrap \`${p.message}\` in backticks`, r, "`" + p.message + "`"),
          }),
        );
      }
    }
  },
};
