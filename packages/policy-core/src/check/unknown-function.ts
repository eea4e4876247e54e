/**
 * P2013 unknown-function: a call to a name that is not a claim function (`NegateBol`,
 * `jmespath`). The service rejects the policy. When a function has a close name the fix
 * replaces the name with it.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { FUNCTION_NAMES } from "../syntax/tokens.js";
import { suggest } from "../util/suggest.js";
import { isFunctionName } from "./facts.js";
import type { Check } from "./context.js";

/** Check P2013 `unknown-function` (see the file comment). */
export const unknownFunction: Check = {
  code: "P2013",
  scope: "rule",
  run(ctx) {
    for (const { node: n } of ctx.nodes("Call")) {
      {
        if (isFunctionName(n.callee)) continue;
        const guess = suggest(n.callee, FUNCTION_NAMES);
        const hint = guess ? ` (did you mean \`${guess}\`?)` : `: the functions are ${FUNCTION_NAMES.map((f) => `\`${f}\``).join(", ")}`;
        ctx.report(
          diagnostic("P2013", n.calleeRange, `unknown function \`${n.callee}\`${hint}`, {
            fix: guess ? fixOf(`use \`${guess}\``, n.calleeRange, guess) : undefined,
          }),
        );
      }
    }
  },
};
