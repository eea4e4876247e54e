/**
 * P2040 deprecated-claim: a condition tests a deprecated claim name that the service still
 * honours for SGX (`$is-debuggable`, `$product-id`, `$svn`, `$sgx-mrsigner`, `$sgx-mrenclave`,
 * `$tee`). New policies should use the `x-ms-` names. The default severity is `info`. The fix
 * (offered in the editor, not applied by `--fix`) writes the current name; check that the
 * instance issues it before relying on it.
 */
import { findClaim } from "../claims/catalog.js";
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { literalTest } from "./facts.js";
import type { Check } from "./context.js";

/** Check P2040 `deprecated-claim` (see the file comment). */
export const deprecatedClaim: Check = {
  code: "P2040",
  scope: "rule",
  run(ctx) {
    for (const { node: c } of ctx.nodes("Condition")) {
      const t = literalTest(c, "type");
      if (!t) continue;
      const info = findClaim(t.literal.value);
      const replacement = info?.deprecated?.replacement;
      if (!info?.deprecated) continue;
      ctx.report(
        diagnostic("P2040", t.literal.range, `claim \`${info.type}\` is deprecated${replacement ? `: use \`${replacement}\`` : ""}`, {
          fix: replacement ? fixOf(`use \`${replacement}\``, t.literal.range, JSON.stringify(replacement)) : undefined,
          tags: ["deprecated"],
        }),
      );
    }
  },
};
