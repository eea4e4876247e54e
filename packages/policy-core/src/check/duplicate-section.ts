/**
 * P2005 duplicate-section: a section appears twice. The service rejects the policy; merge the
 * rules into the first section. No automatic fix: the order of the merged rules matters.
 */
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Section } from "../syntax/ast.js";
import type { Check } from "./context.js";

/** Check P2005 `duplicate-section` (see the file comment). */
export const duplicateSection: Check = {
  code: "P2005",
  run(ctx) {
    const first = new Map<string, Section>();
    for (const s of ctx.file.sections) {
      if (s.name === undefined) continue;
      const earlier = first.get(s.name);
      if (!earlier) {
        first.set(s.name, s);
        continue;
      }
      ctx.report(
        diagnostic("P2005", s.nameRange, `duplicate section \`${s.name}\`: a policy has at most one, merge its rules into the first`, {
          related: [{ range: earlier.nameRange, message: `first \`${s.name}\` here` }],
        }),
      );
    }
  },
};
