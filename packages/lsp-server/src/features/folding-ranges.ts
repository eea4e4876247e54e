/**
 * Folding ranges: section bodies, rules that span lines, and runs of `//` comment lines.
 */
import * as lsp from "vscode-languageserver";
import type { Analysis } from "../analysis.js";

/** The folding ranges of a policy. */
export function foldingRanges(a: Analysis): lsp.FoldingRange[] {
  const out: lsp.FoldingRange[] = [];
  const line = (o: number) => a.lineIndex.position(o).line;
  for (const s of a.file.sections) {
    const start = line(s.bodyRange.start);
    const end = line(s.bodyRange.end);
    if (end > start) out.push({ startLine: start, endLine: end - 1 > start ? end - 1 : end, kind: lsp.FoldingRangeKind.Region });
    for (const r of s.rules) {
      const rs = line(r.range.start);
      const re = line(r.range.end);
      if (re > rs) out.push({ startLine: rs, endLine: re });
    }
  }
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart >= 0 && runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: lsp.FoldingRangeKind.Comment });
  };
  for (const c of a.file.comments) {
    const l = line(c.range.start);
    const lineText = a.lineIndex.lineText(a.text, l);
    const whole = lineText.trimStart().startsWith("//") && !c.block;
    if (whole && l === runEnd + 1 && runStart >= 0) runEnd = l;
    else {
      flush();
      if (whole) {
        runStart = l;
        runEnd = l;
      } else {
        runStart = -1;
        runEnd = -1;
      }
    }
  }
  flush();
  return out.sort((x, y) => x.startLine - y.startLine);
}
