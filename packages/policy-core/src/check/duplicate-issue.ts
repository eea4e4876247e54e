/**
 * P2029 duplicate-issue: two unconditional `issue` (or `issueproperty`) actions produce the
 * same claim type: the token then holds an array, or the second value silently wins for a
 * property. Usually a leftover of editing. No automatic fix: which one to keep is the author's
 * call. (Identical rules are reported as duplicate rules instead.)
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import { fingerprint } from "./facts.js";
import type { Check, RuleEntry } from "./context.js";
import type { RuleSummary } from "./rule-summary.js";

/** Check P2029 `duplicate-issue` (see the file comment). */
export const duplicateIssue: Check = {
  code: "P2029",
  run(ctx) {
    // Entries, not rules: a rule is read (and moved, in an incremental analysis) only when compared.
    const seen = new Map<string, RuleEntry>();
    for (let i = 0; i < ctx.rules.length; i++) {
      const entry = ctx.rules[i] as RuleEntry;
      const sectionName = entry.sectionName;
      const s = ctx.summaries[i] as RuleSummary;
      if (sectionName !== "issuancerules" || !s.unconditional) continue;
      const verb = s.verb;
      if (verb !== "issue" && verb !== "issueproperty") continue;
      const type = s.produced;
      if (type === undefined) continue;
      const key = `${verb}:${type}`;
      const earlier = seen.get(key);
      if (!earlier) {
        seen.set(key, entry);
        continue;
      }
      if (fingerprint(ctx.text, earlier.rule.action) === fingerprint(ctx.text, entry.rule.action)) continue;
      ctx.report(
        diagnostic("P2029", entry.rule.range, `\`${type}\` is already ${verb === "issue" ? "issued" : "set"} unconditionally by an earlier rule`, {
          related: [{ range: earlier.rule.range, message: "first here" }],
        }),
      );
    }
  },
};
