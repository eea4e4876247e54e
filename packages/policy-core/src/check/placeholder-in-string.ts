/**
 * P2023 placeholder-in-string: a string that is a template placeholder left in the policy
 * (`"<mrsigner>"`, `"<expected_hash>"`, `"$CCE_POLICY_HASH"`). The test compares with the
 * placeholder text itself and never matches a real value. No automatic fix: only the author
 * knows the value.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Check } from "./context.js";

const PLACEHOLDER = /^(?:<[A-Za-z_][A-Za-z0-9 _-]*>|\$\{?[A-Z][A-Z0-9_]*\}?|\{\{\s*[A-Za-z_][\w.-]*\s*\}\})$/;

/** Check P2023 `placeholder-in-string` (see the file comment). */
export const placeholderInString: Check = {
  code: "P2023",
  scope: "rule",
  run(ctx) {
    for (const { node: n } of ctx.nodes("StringLiteral")) {
      if (!PLACEHOLDER.test(n.value.trim())) continue;
      ctx.report(diagnostic("P2023", n.range, `template placeholder \`${n.value}\` in a string: replace it with the real value`));
    }
  },
};
