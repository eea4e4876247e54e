/**
 * P2006 section-out-of-order: sections must come in the order `configurationrules`,
 * `authorizationrules`, `issuancerules`. The service rejects any other order. No automatic fix
 * (moving whole sections would also move their comments); the message names the expected place.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import { SECTION_NAMES } from "../syntax/tokens.js";
import type { Section } from "../syntax/ast.js";
import type { Check } from "./context.js";

/** Check P2006 `section-out-of-order` (see the file comment). */
export const sectionOutOfOrder: Check = {
  code: "P2006",
  run(ctx) {
    let last: Section | undefined;
    const seen = new Set<string>();
    for (const s of ctx.file.sections) {
      if (s.name === undefined) continue;
      if (seen.has(s.name)) continue;
      seen.add(s.name);
      if (last?.name !== undefined && SECTION_NAMES.indexOf(s.name) < SECTION_NAMES.indexOf(last.name)) {
        ctx.report(
          diagnostic("P2006", s.nameRange, `section \`${s.name}\` must come before \`${last.name}\``, {
            related: [{ range: last.nameRange, message: `\`${last.name}\` here` }],
          }),
        );
        continue;
      }
      last = s;
    }
  },
};
