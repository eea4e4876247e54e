/**
 * P2025 read-only-claim-issued: an `issue` whose value comes from a read-only claim (`pcrs`),
 * directly (`c.value`, `claim=c`) or through a function or a claim an earlier rule derived from
 * it. Such values may be tested and added, never issued: evaluation fails. No automatic fix.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Check, RuleEntry } from "./context.js";
import { at, type RuleSummary } from "./rule-summary.js";

/** Check P2025 `read-only-claim-issued` (see the file comment). */
export const readOnlyClaimIssued: Check = {
  code: "P2025",
  run(ctx) {
    // Claim types whose values derive from a read-only claim: the catalogue's, then what rules add from them.
    const tainted = new Set<string>();
    const { rules, summaries } = ctx;
    for (let i = 0; i < rules.length; i++) {
      const s = summaries[i] as RuleSummary;
      // The summary's taint facts: the rule's bindings with the claim type each tests, and the
      // identifiers its `value=` and `claim=` arguments use, in order (absent without an action or a binding).
      const taint = s.taint;
      if (!taint) continue;
      const sources = new Map<string, string>();
      for (const b of taint.bound) if (b.type !== undefined && (b.readOnly || tainted.has(b.type))) sources.set(b.name, b.type);
      if (sources.size === 0) continue;
      let source: string | undefined;
      for (const u of taint.uses) {
        source = sources.get(u);
        if (source !== undefined) break;
      }
      if (source === undefined) continue;
      if (s.verb === "issue") {
        ctx.report(
          diagnostic("P2025", at(s, (rules[i] as RuleEntry).start, taint.valueRange), `\`issue\` of a value derived from the read-only claim \`${source}\`: it may be tested or added, never issued`),
        );
      } else if (s.produced !== undefined) tainted.add(s.produced);
    }
  },
};
