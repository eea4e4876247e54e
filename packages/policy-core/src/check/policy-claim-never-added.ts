/**
 * P2024 policy-claim-never-added: a condition requires `issuer=="AttestationPolicy"` (a claim
 * this policy adds) for a claim type that no earlier rule adds, issues or sets, so it never
 * matches (rules run once, in order). Often a typo, or the adding rule comes later. When an
 * earlier rule adds a claim of a close name, the fix uses it. Negated conditions are not
 * reported: `![type=="x", issuer=="AttestationPolicy"]` is the idiom for a default value.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { suggest } from "../util/suggest.js";
import type { Check, RuleEntry } from "./context.js";
import { addedBefore, at, firstAdded, type RuleSummary } from "./rule-summary.js";

/** Check P2024 `policy-claim-never-added` (see the file comment). */
export const policyClaimNeverAdded: Check = {
  code: "P2024",
  run(ctx) {
    const { rules, summaries } = ctx;
    const first = firstAdded(summaries);
    for (let i = 0; i < rules.length; i++) {
      const entry = rules[i] as RuleEntry;
      const s = summaries[i] as RuleSummary;
      // The summary holds the type tests of non-negated conditions only:
      // `![type=="x", issuer=="AttestationPolicy"] => issue(type="x", value=false)` is the idiom
      // for a default value, a negated test of a claim nobody added is meant to be true.
      for (const t of s.policyTests) {
        if (addedBefore(first, t.type, i) || addedBefore(first, undefined, i)) continue;
        // The types earlier rules add, in the order they are first added.
        const known: string[] = [];
        for (const [type, at] of first) if (type !== undefined && at < i) known.push(type);
        const guess = suggest(t.type, known);
        const r = at(s, entry.start, t.range);
        ctx.report(
          diagnostic(
            "P2024",
            r,
            `no earlier rule adds a claim \`${t.type}\`, so \`issuer=="AttestationPolicy"\` never matches${guess ? ` (did you mean \`${guess}\`?)` : ""}`,
            { fix: guess ? fixOf(`use \`${guess}\``, r, JSON.stringify(guess)) : undefined },
          ),
        );
      }
    }
  },
};
