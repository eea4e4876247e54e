/**
 * P2003 function-not-in-version: claim functions (`JmesPath`, `JsonToClaimValue`, …) exist from
 * version 1.2 on; an older policy that calls one is rejected by the service. The fix declares
 * version 1.2, which every construct of 1.0 and 1.1 keeps meaning the same in.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { versionAtLeast, type Check } from "./context.js";

/** Check P2003 `function-not-in-version` (see the file comment). */
export const functionNotInVersion: Check = {
  code: "P2003",
  scope: "rule",
  run(ctx) {
    if (versionAtLeast(ctx, 1, 2)) return;
    const v = ctx.file.version;
    for (const { node: n } of ctx.nodes("Call")) {
      {
        ctx.report(
          diagnostic("P2003", n.calleeRange, `function \`${n.callee}\` needs version 1.2 or later: this policy declares \`${v?.value ?? "1.0"}\``, {
            fix: v ? fixOf("declare `version=1.2`", v.valueRange, "1.2") : undefined,
          }),
        );
      }
    }
  },
};
