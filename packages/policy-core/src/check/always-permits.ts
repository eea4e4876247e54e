/**
 * P2027 always-permits: an unconditional `=> permit();` while every `deny()` rule of the section
 * has a condition that can never be true: the denies are dead code and every attestation is
 * permitted, which is rarely what a policy with deny rules means. Fix the deny conditions.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Check, RuleEntry } from "./context.js";
import type { RuleSummary } from "./rule-summary.js";

/** Check P2027 `always-permits` (see the file comment). */
export const alwaysPermits: Check = {
  code: "P2027",
  run(ctx) {
    const entries: { entry: RuleEntry; s: RuleSummary }[] = [];
    for (let i = 0; i < ctx.rules.length; i++) {
      const entry = ctx.rules[i] as RuleEntry;
      if (entry.sectionName === "authorizationrules") entries.push({ entry, s: ctx.summaries[i] as RuleSummary });
    }
    const permit = entries.find((e) => e.s.verb === "permit" && e.s.unconditional);
    if (!permit) return;
    const denies = entries.filter((e) => e.s.verb === "deny");
    if (denies.length === 0 || denies.some((e) => !e.s.neverFires)) return;
    ctx.report(
      diagnostic("P2027", permit.entry.rule.range, "every attestation is permitted: no `deny()` rule can ever run, their conditions are contradictory", {
        related: denies.map((d) => ({ range: d.entry.rule.range, message: "this `deny()` can never run" })),
      }),
    );
  },
};
