/**
 * P2033 bidi-control: a bidirectional control character (such as U+202E RIGHT-TO-LEFT
 * OVERRIDE) anywhere in the text, strings and comments included. Such characters reorder how
 * the text is displayed, so a reviewer can read something other than what runs ("Trojan
 * Source", CVE-2021-42574). The fix removes the character.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { range } from "../text/text-range.js";
import { BIDI, charName, reportedBySyntax } from "./hygiene.js";
import type { Check } from "./context.js";

/** Check P2033 `bidi-control` (see the file comment). */
export const bidiControl: Check = {
  code: "P2033",
  scope: "text",
  run(ctx) {
    const { start, end } = ctx.textWindow;
    const window = start === 0 && end === ctx.text.length ? ctx.text : ctx.text.slice(start, end);
    for (const m of window.matchAll(BIDI)) {
      const at = start + m.index;
      if (reportedBySyntax(ctx, at)) continue;
      const name = charName(m[0]);
      const r = range(at, at + 1);
      ctx.report(
        diagnostic("P2033", r, `bidirectional control character ${name}: the text may display differently from what it does`, {
          fix: fixOf(`remove ${name}`, r, ""),
        }),
      );
    }
  },
};
