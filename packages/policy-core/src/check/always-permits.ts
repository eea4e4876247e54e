/**
 * P2027 always-permits: an unconditional `=> permit();` while every `deny()` rule of the section
 * has a condition that can never be true: the denies are dead code and every attestation is
 * permitted, which is rarely what a policy with deny rules means. Fix the deny conditions.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import { actionOf, isUnconditional, ruleNeverFires } from "./facts.js";
import type { Check } from "./context.js";

/** Check P2027 `always-permits` (see the file comment). */
export const alwaysPermits: Check = {
  code: "P2027",
  run(ctx) {
    const entries = ctx.rules.filter((e) => e.sectionName === "authorizationrules");
    const permit = entries.find((e) => actionOf(e.rule)?.verb === "permit" && isUnconditional(e.rule));
    if (!permit) return;
    const denies = entries.filter((e) => actionOf(e.rule)?.verb === "deny");
    if (denies.length === 0 || denies.some((e) => !ruleNeverFires(e.rule))) return;
    ctx.report(
      diagnostic("P2027", permit.rule.range, "every attestation is permitted: no `deny()` rule can ever run, their conditions are contradictory", {
        related: denies.map((d) => ({ range: d.rule.range, message: "this `deny()` can never run" })),
      }),
    );
  },
};
