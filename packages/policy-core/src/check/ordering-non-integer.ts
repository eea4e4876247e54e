/**
 * P2019 ordering-non-integer: `<`, `<=`, `>` or `>=` with a string or boolean literal
 * (`value >= "2"`). Only Integer values support ordering; on anything else the test never
 * matches. When the string holds an integer the fix removes the quotes.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { testsOf } from "./facts.js";
import type { Check } from "./context.js";

/** Check P2019 `ordering-non-integer` (see the file comment). */
export const orderingNonInteger: Check = {
  code: "P2019",
  scope: "rule",
  run(ctx) {
    for (const { rule } of ctx.rules) {
      for (const c of rule.conditions) {
        for (const t of testsOf(c)) {
          if (t.operator === "==" || t.operator === "!=") continue;
          const o = t.operand;
          if (o.kind !== "StringLiteral" && o.kind !== "BooleanLiteral") continue;
          const what = o.kind === "StringLiteral" ? "a String" : "a Boolean";
          const numeric = o.kind === "StringLiteral" && /^-?\d{1,15}$/.test(o.value);
          ctx.report(
            diagnostic("P2019", t.range, `\`${t.operator}\` on ${what} never matches: only Integer values can be ordered`, {
              fix: numeric && o.kind === "StringLiteral" ? fixOf(`compare with the integer \`${o.value}\``, o.range, o.value) : undefined,
            }),
          );
        }
      }
    }
  },
};
