/**
 * P2029 duplicate-issue: two unconditional `issue` (or `issueproperty`) actions produce the
 * same claim type: the token then holds an array, or the second value silently wins for a
 * property. Usually a leftover of editing. No automatic fix: which one to keep is the author's
 * call. (Identical rules are reported as duplicate rules instead.)
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Rule } from "../syntax/ast.js";
import { actionOf, fingerprint, isUnconditional, producedType } from "./facts.js";
import type { Check } from "./context.js";

/** Check P2029 `duplicate-issue` (see the file comment). */
export const duplicateIssue: Check = {
  code: "P2029",
  run(ctx) {
    const seen = new Map<string, Rule>();
    for (const { rule, sectionName } of ctx.rules) {
      if (sectionName !== "issuancerules" || !isUnconditional(rule)) continue;
      const action = actionOf(rule);
      if (!action || (action.verb !== "issue" && action.verb !== "issueproperty")) continue;
      const type = producedType(rule);
      if (type === undefined) continue;
      const key = `${action.verb}:${type}`;
      const earlier = seen.get(key);
      if (!earlier) {
        seen.set(key, rule);
        continue;
      }
      if (fingerprint(ctx.text, earlier.action) === fingerprint(ctx.text, rule.action)) continue;
      ctx.report(
        diagnostic("P2029", rule.range, `\`${type}\` is already ${action.verb === "issue" ? "issued" : "set"} unconditionally by an earlier rule`, {
          related: [{ range: earlier.range, message: "first here" }],
        }),
      );
    }
  },
};
