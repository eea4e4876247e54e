/**
 * P2011 identifier-bound-twice: two conditions of one rule bind the same identifier. The service
 * rejects the policy; give the second binding its own name. No automatic fix (its uses would
 * have to be renamed too, and which ones is ambiguous).
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Identifier } from "../syntax/ast.js";
import { bindingsOf } from "./bindings.js";
import type { Check } from "./context.js";

/** Check P2011 `identifier-bound-twice` (see the file comment). */
export const identifierBoundTwice: Check = {
  code: "P2011",
  scope: "rule",
  run(ctx) {
    for (const { rule } of ctx.rules) {
      const first = new Map<string, Identifier>();
      for (const b of bindingsOf(rule).bindings) {
        const earlier = first.get(b.identifier.name);
        if (!earlier) {
          first.set(b.identifier.name, b.identifier);
          continue;
        }
        ctx.report(
          diagnostic("P2011", b.identifier.range, `identifier \`${b.identifier.name}\` is bound twice in this rule`, {
            related: [{ range: earlier.range, message: `first bound here` }],
          }),
        );
      }
    }
  },
};
