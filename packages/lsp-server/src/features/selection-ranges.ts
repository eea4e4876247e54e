/**
 * Selection ranges: from the innermost syntax node outwards (string contents, then the string,
 * its test or argument, the condition, the rule, the section body, the section, the file).
 */
import { nodePathAt, type TextRange } from "@maa-policy/core";
import type * as lsp from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toRange } from "../convert/to-lsp.js";

/** The selection range chain at one offset. */
export function selectionRange(a: Analysis, offset: number): lsp.SelectionRange {
  const ranges: TextRange[] = [{ start: 0, end: a.text.length }];
  for (const n of nodePathAt(a.file, offset)) {
    if (n.kind === "Section") {
      ranges.push(n.range);
      if (n.bodyRange.start <= offset && offset <= n.bodyRange.end && n.bodyRange.end > n.bodyRange.start) ranges.push(n.bodyRange);
      continue;
    }
    if (n.kind === "Condition" && n.bracketRange.start <= offset && offset <= n.bracketRange.end) {
      ranges.push(n.range);
      ranges.push(n.bracketRange);
      continue;
    }
    ranges.push(n.range);
    if (n.kind === "StringLiteral" && n.range.end - n.range.start >= 2 && offset > n.range.start && offset < n.range.end) {
      ranges.push({ start: n.range.start + 1, end: n.range.end - 1 });
    }
  }
  // Keep a strictly nested chain: drop ranges equal to or not inside the previous one.
  const chain: TextRange[] = [];
  for (const r of ranges) {
    const last = chain[chain.length - 1];
    if (last && (r.start < last.start || r.end > last.end || (r.start === last.start && r.end === last.end))) continue;
    chain.push(r);
  }
  let result: lsp.SelectionRange | undefined;
  for (const r of chain) result = result ? { range: toRange(a.lineIndex, r), parent: result } : { range: toRange(a.lineIndex, r) };
  return result as lsp.SelectionRange;
}
