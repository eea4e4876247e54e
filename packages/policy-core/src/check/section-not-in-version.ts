/**
 * P2002 section-not-in-version: `configurationrules` exists from version 1.1 on; a 1.0 policy
 * that has one is rejected by the service. The fix raises the declared version to 1.1, which
 * keeps the meaning of every other rule.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { versionAtLeast, type Check } from "./context.js";

/** Check P2002 `section-not-in-version` (see the file comment). */
export const sectionNotInVersion: Check = {
  code: "P2002",
  run(ctx) {
    if (versionAtLeast(ctx, 1, 1)) return;
    const v = ctx.file.version;
    for (const s of ctx.file.sections) {
      if (s.name !== "configurationrules") continue;
      ctx.report(
        diagnostic("P2002", s.nameRange, `\`configurationrules\` needs version 1.1 or later: this policy declares \`${v?.value ?? "1.0"}\``, {
          fix: v ? fixOf("declare `version=1.1`", v.valueRange, "1.1") : undefined,
        }),
      );
    }
  },
};
