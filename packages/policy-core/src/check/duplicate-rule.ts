/**
 * P2028 duplicate-rule: a rule identical (ignoring whitespace and comments) to an earlier rule
 * of the same section. In authorization it changes nothing; in issuance it issues the claims a
 * second time. The fix removes the repeated rule.
 */
import { diagnostic, fixOf } from "../diagnostics/diagnostic.js";
import { range } from "../text/text-range.js";
import { fingerprint } from "./facts.js";
import type { Rule } from "../syntax/ast.js";
import type { Check } from "./context.js";

/** Check P2028 `duplicate-rule` (see the file comment). */
export const duplicateRule: Check = {
  code: "P2028",
  run(ctx) {
    // Rules are bucketed by their text without whitespace (cheap); only rules that share a
    // bucket get the exact fingerprint, which keeps string literals and drops comments.
    const buckets = new Map<string, number>();
    for (const { rule, section } of ctx.rules) {
      const rough = `${section.range.start}|${ctx.text.slice(rule.range.start, rule.range.end).replace(/\s+|\/\/.*/g, "")}`;
      buckets.set(rough, (buckets.get(rough) ?? 0) + 1);
    }
    const seen = new Map<string, Rule>();
    for (const { rule, section } of ctx.rules) {
      const rough = `${section.range.start}|${ctx.text.slice(rule.range.start, rule.range.end).replace(/\s+|\/\/.*/g, "")}`;
      if ((buckets.get(rough) ?? 0) < 2 && !ctx.text.slice(rule.range.start, rule.range.end).includes("//")) continue;
      const key = `${section.range.start}|${fingerprint(ctx.text, rule)}`;
      const earlier = seen.get(key);
      if (!earlier) {
        seen.set(key, rule);
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
