/**
 * P2030 contradictory-condition: one condition requires incompatible things of the same claim,
 * such as two different types (`[type=="a", type=="b"]`), a value that is both equal and unequal
 * to the same literal, or an empty integer range (`value > 5, value < 3`). No single claim can
 * pass, so the condition is never true (a negated one is always true). No automatic fix.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import { contradiction } from "./facts.js";
import type { Check } from "./context.js";

/** Check P2030 `contradictory-condition` (see the file comment). */
export const contradictoryCondition: Check = {
  code: "P2030",
  scope: "rule",
  run(ctx) {
    for (const { rule } of ctx.rules) {
      for (const c of rule.conditions) {
        const found = contradiction(c);
        if (!found) continue;
        const what = c.negated ? "so this negated condition is always true" : "so this condition is never true";
        ctx.report(
          diagnostic("P2030", found.second.range, `no claim can pass both \`${ctx.text.slice(found.first.range.start, found.first.range.end)}\` and \`${ctx.text.slice(found.second.range.start, found.second.range.end)}\`, ${what}`, {
            related: [{ range: found.first.range, message: "the conflicting test" }],
          }),
        );
      }
    }
  },
};
