/**
 * P2010 identifier-used-before-bound: `c.value` used in a condition that comes before (or is)
 * the condition that binds `c`. Conditions are evaluated left to right, so the value is not
 * available yet. Reorder the conditions so that the binding comes first. No automatic fix.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import { bindingsOf } from "./bindings.js";
import type { Check } from "./context.js";

/** Check P2010 `identifier-used-before-bound` (see the file comment). */
export const identifierUsedBeforeBound: Check = {
  code: "P2010",
  scope: "rule",
  run(ctx) {
    for (const { rule } of ctx.rules) {
      const { bindings, uses } = bindingsOf(rule);
      for (const u of uses) {
        const binds = bindings.filter((b) => b.identifier.name === u.identifier.name);
        if (binds.length === 0) continue;
        if (binds.some((b) => b.position < u.position)) continue;
        const b = binds[0];
        if (!b) continue;
        ctx.report(
          diagnostic("P2010", u.identifier.range, `identifier \`${u.identifier.name}\` is used before the condition that binds it`, {
            related: [{ range: b.identifier.range, message: `\`${u.identifier.name}\` is bound here` }],
          }),
        );
      }
    }
  },
};
