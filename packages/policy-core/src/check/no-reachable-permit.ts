/**
 * P2026 no-reachable-permit: the authorization rules can never permit, so every attestation is
 * denied: there is no `permit()` at all, every `permit()` rule has a condition that can never be
 * true, or an unconditional `deny()` always runs (a deny wins over any permit). Intentional
 * "deny all" policies exist (to lock an instance); suppress the warning there with a reason.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import { actionOf, isUnconditional, ruleNeverFires } from "./facts.js";
import type { Check } from "./context.js";

/** Check P2026 `no-reachable-permit` (see the file comment). */
export const noReachablePermit: Check = {
  code: "P2026",
  run(ctx) {
    const section = ctx.file.sections.find((s) => s.name === "authorizationrules");
    if (!section) return;
    if (section.rules.some((r) => r.kind !== "Rule" || r.action.kind !== "Action" || r.action.verb === undefined)) return;
    const entries = ctx.rules.filter((e) => e.section === section);
    const alwaysDeny = entries.find((e) => actionOf(e.rule)?.verb === "deny" && isUnconditional(e.rule));
    if (alwaysDeny) {
      ctx.report(diagnostic("P2026", alwaysDeny.rule.range, "this unconditional `deny()` always runs, so every attestation is denied"));
      return;
    }
    const permits = entries.filter((e) => actionOf(e.rule)?.verb === "permit");
    if (permits.some((e) => !ruleNeverFires(e.rule))) return;
    const message =
      permits.length === 0
        ? "`authorizationrules` has no `permit()`, so every attestation is denied"
        : "no `permit()` rule can ever run (their conditions are contradictory), so every attestation is denied";
    ctx.report(diagnostic("P2026", section.nameRange, message));
  },
};
