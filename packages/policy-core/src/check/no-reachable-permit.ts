/**
 * P2026 no-reachable-permit: the authorization rules can never permit, so every attestation is
 * denied: there is no `permit()` at all, every `permit()` rule has a condition that can never be
 * true, or an unconditional `deny()` always runs (a deny wins over any permit). Intentional
 * "deny all" policies exist (to lock an instance); suppress the warning there with a reason.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Check, RuleEntry } from "./context.js";
import type { RuleSummary } from "./rule-summary.js";

/** Check P2026 `no-reachable-permit` (see the file comment). */
export const noReachablePermit: Check = {
  code: "P2026",
  run(ctx) {
    const section = ctx.file.sections.find((s) => s.name === "authorizationrules");
    if (!section) return;
    const entries: { entry: RuleEntry; s: RuleSummary }[] = [];
    for (let i = 0; i < ctx.rules.length; i++) {
      const entry = ctx.rules[i] as RuleEntry;
      if (entry.section === section) entries.push({ entry, s: ctx.summaries[i] as RuleSummary });
    }
    // A rule that did not parse, or an action with an unknown verb: nothing can be concluded.
    if (entries.length !== section.rules.length || entries.some((e) => e.s.verb === undefined)) return;
    const alwaysDeny = entries.find((e) => e.s.verb === "deny" && e.s.unconditional);
    if (alwaysDeny) {
      ctx.report(diagnostic("P2026", alwaysDeny.entry.rule.range, "this unconditional `deny()` always runs, so every attestation is denied"));
      return;
    }
    const permits = entries.filter((e) => e.s.verb === "permit");
    if (permits.some((e) => !e.s.neverFires)) return;
    const message =
      permits.length === 0
        ? "`authorizationrules` has no `permit()`, so every attestation is denied"
        : "no `permit()` rule can ever run (their conditions are contradictory), so every attestation is denied";
    ctx.report(diagnostic("P2026", section.nameRange, message));
  },
};
