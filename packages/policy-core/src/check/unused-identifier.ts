/**
 * P2012 unused-identifier: a condition binds an identifier that nothing in the rule uses. It is
 * harmless (the common `c:[type=="x"] => permit();` idiom) but it is noise; the default severity
 * is therefore `info`. The fix removes the `c:` prefix, which does not change the meaning.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { range } from "../text/text-range.js";
import { bindingsOf } from "./bindings.js";
import type { Check } from "./context.js";

/** Check P2012 `unused-identifier` (see the file comment). */
export const unusedIdentifier: Check = {
  code: "P2012",
  scope: "rule",
  run(ctx) {
    for (const { rule } of ctx.rules) {
      const { bindings, uses } = bindingsOf(rule);
      for (const [i, b] of bindings.entries()) {
        const name = b.identifier.name;
        if (uses.some((u) => u.identifier.name === name)) continue;
        // A name bound twice is reported once (the second binding is P2011).
        if (bindings.some((o, j) => j < i && o.identifier.name === name)) continue;
        const condition = rule.conditions[b.position];
        const prefix = condition ? range(b.identifier.range.start, condition.bracketRange.start) : b.identifier.range;
        ctx.report(
          diagnostic("P2012", b.identifier.range, `identifier \`${name}\` is bound but never used`, {
            fix: condition ? fixOf(`remove \`${name}:\``, prefix, "") : undefined,
            tags: ["unnecessary"],
          }),
        );
      }
    }
  },
};
