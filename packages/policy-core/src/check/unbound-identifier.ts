/**
 * P2009 unbound-identifier: an identifier (`c` in `c.value` or `claim=c`) that no condition of
 * the rule binds. The service rejects the policy. When a bound identifier of the rule has a
 * close name, the fix renames the use to it.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { suggest } from "../util/suggest.js";
import { bindingsOf } from "./bindings.js";
import type { Check } from "./context.js";

/** Check P2009 `unbound-identifier` (see the file comment). */
export const unboundIdentifier: Check = {
  code: "P2009",
  scope: "rule",
  run(ctx) {
    for (const { rule } of ctx.rules) {
      const { bindings, uses } = bindingsOf(rule);
      for (const u of uses) {
        if (bindings.some((b) => b.identifier.name === u.identifier.name)) continue;
        const names = [...new Set(bindings.map((b) => b.identifier.name))];
        const guess = names.length === 1 ? names[0] : suggest(u.identifier.name, names);
        const hint = guess !== undefined ? ` (did you mean \`${guess}\`?)` : "";
        ctx.report(
          diagnostic("P2009", u.identifier.range, `identifier \`${u.identifier.name}\` is not bound by any condition of this rule${hint}`, {
            fix: guess !== undefined ? fixOf(`use \`${guess}\``, u.identifier.range, guess) : undefined,
          }),
        );
      }
    }
  },
};
