/**
 * P2028 duplicate-rule: a rule identical (ignoring whitespace and comments) to an earlier rule
 * of the same section. In authorization it changes nothing; in issuance it issues the claims a
 * second time. The fix removes the repeated rule.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { range } from "../text/text-range.js";
import { fingerprint } from "./facts.js";
import type { Rule, Section } from "../syntax/ast.js";
import type { Check } from "./context.js";
import type { RuleSummary } from "./rule-summary.js";

/** Check P2028 `duplicate-rule` (see the file comment). */
export const duplicateRule: Check = {
  code: "P2028",
  run(ctx) {
    // Rules are keyed by their text without whitespace and comments (cheap); a key shared by two
    // rules is confirmed with the exact fingerprint, which keeps string literals intact.
    // The rough key is in each rule's summary; rules are compared within their section only.
    const seen = new Map<Section, Map<string, Rule[]>>();
    for (let i = 0; i < ctx.rules.length; i++) {
      const { rule, section } = ctx.rules[i] as (typeof ctx.rules)[number];
      const rough = (ctx.summaries[i] as RuleSummary).rough;
      let inSection = seen.get(section);
      if (!inSection) {
        inSection = new Map();
        seen.set(section, inSection);
      }
      const candidates = inSection.get(rough);
      if (!candidates) {
        inSection.set(rough, [rule]);
        continue;
      }
      const exact = fingerprint(ctx.text, rule);
      const earlier = candidates.find((r) => fingerprint(ctx.text, r) === exact);
      if (!earlier) {
        candidates.push(rule);
        continue;
      }
      ctx.report(
        diagnostic("P2028", rule.range, "this rule repeats an earlier rule of the same section", {
          fix: fixOf("remove the repeated rule", lineRange(ctx.text, rule.range.start, rule.range.end), ""),
          related: [{ range: earlier.range, message: "the first occurrence" }],
          tags: ["unnecessary"],
        }),
      );
    }
  },
};

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
