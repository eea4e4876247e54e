/**
 * P2034 invisible-character: an invisible character (zero-width space, zero-width joiner, soft
 * hyphen, a byte-order mark after the start …) in the text. Inside a string it makes a claim
 * type or value differ from what is displayed; elsewhere it is noise that a reviewer cannot
 * see. The fix removes the character. A byte-order mark at the very start is allowed.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { range } from "../text/text-range.js";
import { INVISIBLE, charName, reportedBySyntax } from "./hygiene.js";
import type { Check } from "./context.js";

/** Check P2034 `invisible-character` (see the file comment). */
export const invisibleCharacter: Check = {
  code: "P2034",
  scope: "text",
  run(ctx) {
    const { start, end } = ctx.textWindow;
    const window = start === 0 && end === ctx.text.length ? ctx.text : ctx.text.slice(start, end);
    for (const m of window.matchAll(INVISIBLE)) {
      const at = start + m.index;
      if (at === 0 && m[0] === "\uFEFF") continue;
      if (reportedBySyntax(ctx, at)) continue;
      const name = charName(m[0]);
      const r = range(at, at + 1);
      ctx.report(diagnostic("P2034", r, `invisible character ${name}`, { fix: fixOf(`remove ${name}`, r, "") }));
    }
  },
};
