/**
 * P2001 unknown-version: the policy declares a version other than `1.0`, `1.1` or `1.2` (such as
 * `2.0`). The service rejects it; the rest of the file is still analysed as version 1.2. No fix:
 * only the author knows which version was meant.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import { KNOWN_VERSIONS } from "../syntax/tokens.js";
import type { Check } from "./context.js";

/** Check P2001 `unknown-version` (see the file comment). */
export const unknownVersion: Check = {
  code: "P2001",
  run(ctx) {
    const v = ctx.file.version;
    if (!v || v.major === undefined || v.minor === undefined) return;
    if ((KNOWN_VERSIONS as readonly string[]).includes(v.value)) return;
    ctx.report(
      diagnostic("P2001", v.valueRange, `unknown version \`${v.value}\`: expected one of ${KNOWN_VERSIONS.map((k) => `\`${k}\``).join(", ")} (analysed as 1.2)`),
    );
  },
};
