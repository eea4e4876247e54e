/**
 * P2021 unknown-service-claim: a condition requires `issuer=="AttestationService"` for a claim
 * type that no attestation type produces and that no earlier rule adds, so it never matches.
 * Usually a typo of a catalogued claim; the fix replaces it with the closest catalogued type.
 * Unknown types without that issuer are fine: custom claims exist.
 */
import { CLAIMS } from "../claims/catalog.js";
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { suggest } from "../util/suggest.js";
import type { Check, RuleEntry } from "./context.js";
import { addedBefore, firstAdded, memoised, type RuleSummary } from "./rule-summary.js";

const TYPES = CLAIMS.map((c) => c.type);

/** Check P2021 `unknown-service-claim` (see the file comment). */
export const unknownServiceClaim: Check = {
  code: "P2021",
  run(ctx) {
    // Rules run in order: a claim type some earlier rule adds may be tested with any issuer.
    const { rules, summaries } = ctx;
    const first = firstAdded(summaries);
    for (let i = 0; i < rules.length; i++) {
      const entry = rules[i] as RuleEntry;
      const s = summaries[i] as RuleSummary;
      for (const t of s.unknownServiceTests) {
        if (addedBefore(first, t.type, i) || addedBefore(first, undefined, i)) continue;
        // The message and fix depend on the literal only: made once per rule.
        ctx.report(
          memoised(s, entry.start, `P2021@${t.range.start}`, () => {
            const guess = suggest(t.type, TYPES);
            return diagnostic(
              "P2021",
              t.range,
              `unknown claim \`${t.type}\`: no attestation type produces it, so \`issuer=="AttestationService"\` never matches${guess ? ` (did you mean \`${guess}\`?)` : ""}`,
              { fix: guess ? fixOf(`use \`${guess}\``, t.range, JSON.stringify(guess)) : undefined },
            );
          }),
        );
      }
    }
  },
};
