/**
 * P2028 duplicate-rule: a rule identical (ignoring whitespace and comments) to an earlier rule
 * of the same section. In authorization it changes nothing; in issuance it issues the claims a
 * second time. The fix removes the repeated rule.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { range } from "../text/text-range.js";
import { fingerprint } from "./facts.js";
import type { Section } from "../syntax/ast.js";
import type { Check, RuleEntry } from "./context.js";
import type { RuleSummary } from "./rule-summary.js";

/** Check P2028 `duplicate-rule` (see the file comment). */
export const duplicateRule: Check = {
  code: "P2028",
  run(ctx) {
    // Rules are keyed by their text without whitespace and comments (cheap); a key shared by two
    // rules is confirmed with the exact fingerprint, which keeps string literals intact.
    // The rough key is in each rule's summary; rules are compared within their section only.
    // Entries, not rules: a rule is read (and moved, in an incremental analysis) only when reported.
    const seen = new Map<Section, Map<string, RuleEntry[]>>();
    for (let i = 0; i < ctx.rules.length; i++) {
      const entry = ctx.rules[i] as RuleEntry;
      const section = entry.section;
      const rough = (ctx.summaries[i] as RuleSummary).rough;
      let inSection = seen.get(section);
      if (!inSection) {
        inSection = new Map();
        seen.set(section, inSection);
      }
      const candidates = inSection.get(rough);
      if (!candidates) {
        inSection.set(rough, [entry]);
        continue;
      }
      const exact = fingerprint(ctx.text, spanOf(entry));
      const earlier = candidates.find((e) => fingerprint(ctx.text, spanOf(e)) === exact);
      if (!earlier) {
        candidates.push(entry);
        continue;
      }
      ctx.report(
        diagnostic("P2028", range(entry.start, entry.end), "this rule repeats an earlier rule of the same section", {
          fix: fixOf("remove the repeated rule", lineRange(ctx.text, entry.start, entry.end), ""),
          related: [{ range: range(earlier.start, earlier.end), message: "the first occurrence" }],
          tags: ["unnecessary"],
        }),
      );
    }
  },
};

function spanOf(e: RuleEntry): { range: { start: number; end: number } } {
  return { range: { start: e.start, end: e.end } };
}

/** Widens a range to whole lines when nothing else shares them, so that removing it leaves no blank line. */
function lineRange(text: string, start: number, end: number) {
  let s = start;
  while (s > 0 && (text.charAt(s - 1) === " " || text.charAt(s - 1) === "\t")) s--;
  let e = end;
  while (e < text.length && (text.charAt(e) === " " || text.charAt(e) === "\t")) e++;
  const atLineStart = s === 0 || text.charAt(s - 1) === "\n";
  if (atLineStart && text.startsWith("\r\n", e)) return range(s, e + 2);
  if (atLineStart && text.charAt(e) === "\n") return range(s, e + 1);
  return range(start, end);
}
