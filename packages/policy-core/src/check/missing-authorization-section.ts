/**
 * P2007 missing-authorization-section: without `authorizationrules` nothing can permit, so every
 * attestation is denied. The fix inserts an `authorizationrules` section that permits, placed
 * after `configurationrules` or before `issuancerules`; review it before relying on it.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { range } from "../text/text-range.js";
import type { Check } from "./context.js";

/** Check P2007 `missing-authorization-section` (see the file comment). */
export const missingAuthorizationSection: Check = {
  code: "P2007",
  run(ctx) {
    const { file } = ctx;
    if (file.sections.some((s) => s.name === "authorizationrules" || s.name === undefined)) return;
    const config = file.sections.find((s) => s.name === "configurationrules");
    const issuance = file.sections.find((s) => s.name === "issuancerules");
    const block = "authorizationrules\n{\n    => permit();\n};\n";
    let at: number;
    let insert: string;
    if (config) {
      at = config.range.end;
      insert = "\n" + block.slice(0, -1);
    } else if (issuance) {
      at = issuance.range.start;
      insert = block;
    } else {
      at = file.version ? file.version.range.end : 0;
      insert = "\n" + block.slice(0, -1);
    }
    const where = file.version ? file.version.range : range(0, 0);
    ctx.report(
      diagnostic("P2007", where, "missing `authorizationrules` section: without it nothing can permit and every attestation is denied", {
        fix: fixOf("add an `authorizationrules` section that permits", range(at, at), insert),
      }),
    );
  },
};
