/**
 * P2004 negation-not-in-version: a negated condition `![…]` exists from version 1.2 on; an older
 * policy that uses one is rejected by the service. The fix declares version 1.2.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { range } from "../text/text-range.js";
import { versionAtLeast, type Check } from "./context.js";

/** Check P2004 `negation-not-in-version` (see the file comment). */
export const negationNotInVersion: Check = {
  code: "P2004",
  scope: "rule",
  run(ctx) {
    if (versionAtLeast(ctx, 1, 2)) return;
    const v = ctx.file.version;
    for (const { rule } of ctx.rules) {
      for (const c of rule.conditions) {
        if (!c.negated) continue;
        ctx.report(
          diagnostic("P2004", range(c.range.start, c.range.start + 1), `a negated condition \`![…]\` needs version 1.2 or later: this policy declares \`${v?.value ?? "1.0"}\``, {
            fix: v ? fixOf("declare `version=1.2`", v.valueRange, "1.2") : undefined,
          }),
        );
      }
    }
  },
};
