/**
 * P2029 duplicate-issue: two unconditional `issue` (or `issueproperty`) actions produce the
 * same claim type: the token then holds an array, or the second value silently wins for a
 * property. Usually a leftover of editing. No automatic fix: which one to keep is the author's
 * call. (Identical rules are reported as duplicate rules instead.)
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule } from "../syntax/ast.js";
import { fingerprint } from "./facts.js";
import type { Check } from "./context.js";
import type { RuleSummary } from "./rule-summary.js";

/** Check P2029 `duplicate-issue` (see the file comment). */
export const duplicateIssue: Check = {
  code: "P2029",
  run(ctx) {
    const seen = new Map<string, Rule>();
    for (let i = 0; i < ctx.rules.length; i++) {
      const { rule, sectionName } = ctx.rules[i] as (typeof ctx.rules)[number];
      const s = ctx.summaries[i] as RuleSummary;
      if (sectionName !== "issuancerules" || !s.unconditional) continue;
      const verb = s.verb;
      if (verb !== "issue" && verb !== "issueproperty") continue;
      const type = s.produced;
      if (type === undefined) continue;
      const key = `${verb}:${type}`;
      const earlier = seen.get(key);
      if (!earlier) {
        seen.set(key, rule);
        continue;
      }
      if (fingerprint(ctx.text, earlier.action) === fingerprint(ctx.text, rule.action)) continue;
      ctx.report(
        diagnostic("P2029", rule.range, `\`${type}\` is already ${verb === "issue" ? "issued" : "set"} unconditionally by an earlier rule`, {
          related: [{ range: earlier.range, message: "first here" }],
        }),
      );
    }
  },
};
