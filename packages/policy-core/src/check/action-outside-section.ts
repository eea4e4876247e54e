/**
 * P2008 action-outside-section: an action verb used in a section where it does not belong:
 * `permit`/`deny` outside `authorizationrules`, `issue` or `issueproperty` in
 * `authorizationrules`, `issue` or `add` in `configurationrules`. Such a rule behaves as `add`
 * (or does nothing) and the evaluation trace says so. The fix rewrites `issue` in
 * `authorizationrules` as `add`, which is what it does there.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import type { ActionName, SectionName } from "../syntax/tokens.js";
import { actionOf } from "./facts.js";
import type { Check } from "./context.js";

const ALLOWED: Readonly<Record<ActionName, readonly SectionName[]>> = {
  permit: ["authorizationrules"],
  deny: ["authorizationrules"],
  add: ["authorizationrules", "issuancerules"],
  issue: ["issuancerules"],
  issueproperty: ["configurationrules", "issuancerules"],
};

/** Check P2008 `action-outside-section` (see the file comment). */
export const actionOutsideSection: Check = {
  code: "P2008",
  scope: "rule",
  run(ctx) {
    for (const { rule, sectionName } of ctx.rules) {
      const action = actionOf(rule);
      if (!action || !action.verb || sectionName === undefined) continue;
      const allowed = ALLOWED[action.verb];
      if (allowed.includes(sectionName)) continue;
      const where = allowed.map((s) => `\`${s}\``).join(" and ");
      const fix =
        action.verb === "issue" && sectionName === "authorizationrules"
          ? fixOf("use `add` (what `issue` does here)", action.verbRange, "add")
          : undefined;
      ctx.report(
        diagnostic("P2008", action.verbRange, `\`${action.verb}\` in \`${sectionName}\`: it belongs in ${where}`, { fix }),
      );
    }
  },
};
