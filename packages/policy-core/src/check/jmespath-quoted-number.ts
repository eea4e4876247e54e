/**
 * P2018 jmespath-quoted-number: a JMESPath query compares with a quoted number (`[?version ==
 * '20']`). A quoted literal is a string, and JMESPath never finds a number equal to a string,
 * so the comparison is false for numeric data. The fix writes the number as a JSON literal
 * (`` `20` ``); keep the quotes if the data really holds strings.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { analyseQuery, literalQueries, problemRange } from "./jmespath-analysis.js";
import type { Check } from "./context.js";

/** Check P2018 `jmespath-quoted-number` (see the file comment). */
export const jmespathQuotedNumber: Check = {
  code: "P2018",
  scope: "rule",
  run(ctx) {
    for (const { literal } of literalQueries(ctx)) {
      for (const p of analyseQuery(literal.value).quotedNumbers) {
        const r = problemRange(ctx.text, literal, p);
        ctx.report(
          diagnostic("P2018", r, `\`${p.message}\` is quoted, so it is a string and never equals a number: write \`\`${p.message}\`\` to compare with a number`, {
            fix: fixOf(`write \`${p.message}\` as a number`, r, "`" + p.message + "`"),
          }),
        );
      }
    }
  },
};
