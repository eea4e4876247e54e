/**
 * P2024 policy-claim-never-added: a condition requires `issuer=="AttestationPolicy"` (a claim
 * this policy adds) for a claim type that no earlier rule adds, issues or sets, so it never
 * matches (rules run once, in order). Often a typo, or the adding rule comes later. When an
 * earlier rule adds a claim of a close name, the fix uses it. Negated conditions are not
 * reported: `![type=="x", issuer=="AttestationPolicy"]` is the idiom for a default value.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { suggest } from "../util/suggest.js";
import { addedTypes, conditionIssuer, literalTest } from "./facts.js";
import type { Check } from "./context.js";

/** Check P2024 `policy-claim-never-added` (see the file comment). */
export const policyClaimNeverAdded: Check = {
  code: "P2024",
  run(ctx) {
    const added = new Set<string | undefined>();
    for (const { rule } of ctx.rules) {
      for (const c of rule.conditions) {
        // `![type=="x", issuer=="AttestationPolicy"] => issue(type="x", value=false)` is the idiom
        // for a default value: a negated test of a claim nobody added is meant to be true.
        if (c.negated || conditionIssuer(c) !== "AttestationPolicy") continue;
        const t = literalTest(c, "type");
        if (!t || added.has(t.literal.value) || added.has(undefined)) continue;
        const known = [...added].filter((x): x is string => x !== undefined);
        const guess = suggest(t.literal.value, known);
        ctx.report(
          diagnostic(
            "P2024",
            t.literal.range,
            `no earlier rule adds a claim \`${t.literal.value}\`, so \`issuer=="AttestationPolicy"\` never matches${guess ? ` (did you mean \`${guess}\`?)` : ""}`,
            { fix: guess ? fixOf(`use \`${guess}\``, t.literal.range, JSON.stringify(guess)) : undefined },
          ),
        );
      }
      for (const t of addedTypes(rule)) added.add(t);
    }
  },
};
