/**
 * Code actions: each diagnostic's fix as a quick fix, "fix all in file" as a `source.fixAll`
 * action, and "disable this rule for this line", which inserts
 * `// maa-policy-ignore CODE: reason` above the rule.
 */
import { catalog, nodePathAt, type Diagnostic, type Fix, type TextEdit, type TextRange } from "@maa-policy/core";
import * as lsp from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toDiagnostic, toTextEdits } from "../convert/to-lsp.js";

/** The marker of an inline suppression comment. */
export const SUPPRESSION_MARKER = "maa-policy-ignore";

function overlaps(a: TextRange, b: TextRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

function wants(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => kind === o || kind.startsWith(o + "."));
}

/** The code actions for `range` (core offsets). */
export function codeActions(a: Analysis, range: TextRange, only: readonly string[] | undefined): lsp.CodeAction[] {
  const out: lsp.CodeAction[] = [];
  const here = a.diagnostics.filter((d) => overlaps(d.range, range));
  if (wants(only, lsp.CodeActionKind.QuickFix)) {
    for (const d of here) {
      if (d.fix && d.fix.edits.length > 0) {
        out.push({
          title: d.fix.title,
          kind: lsp.CodeActionKind.QuickFix,
          diagnostics: [toDiagnostic(a.lineIndex, a.uri, d)],
          isPreferred: true,
          edit: { changes: { [a.uri]: toTextEdits(a.lineIndex, d.fix.edits) } },
        });
      }
    }
    const seen = new Set<string>();
    for (const d of here) {
      if (catalog[d.code].phase !== "check") continue;
      const edit = suppressionEdit(a, d);
      const key = `${d.code}:${edit.range.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        title: `Disable ${d.code} (${catalog[d.code].slug}) for this line`,
        kind: lsp.CodeActionKind.QuickFix,
        diagnostics: [toDiagnostic(a.lineIndex, a.uri, d)],
        edit: { changes: { [a.uri]: toTextEdits(a.lineIndex, [edit]) } },
      });
    }
  }
  if (wants(only, lsp.CodeActionKind.SourceFixAll)) {
    const edits = fixAllEdits(a.diagnostics);
    if (edits.length > 0) {
      out.push({
        title: "Fix all auto-fixable problems",
        kind: lsp.CodeActionKind.SourceFixAll,
        edit: { changes: { [a.uri]: toTextEdits(a.lineIndex, edits) } },
      });
    }
  }
  return out;
}

/** The edits of every fix that does not overlap an earlier one, in document order. */
export function fixAllEdits(diagnostics: readonly Diagnostic[]): TextEdit[] {
  const fixes: Fix[] = diagnostics.flatMap((d) => (d.fix && d.fix.edits.length > 0 ? [d.fix] : []));
  const taken: TextRange[] = [];
  const out: TextEdit[] = [];
  for (const fix of fixes) {
    const clash = fix.edits.some((e) => taken.some((t) => e.range.start < t.end && t.start < e.range.end) || taken.some((t) => e.range.start === t.start && e.range.end === t.end));
    if (clash) continue;
    for (const e of fix.edits) {
      taken.push(e.range);
      out.push(e);
    }
  }
  return out.sort((x, y) => x.range.start - y.range.start || x.range.end - y.range.end);
}

/** The edit inserting a suppression comment for `d` above the rule (or line) it is on. */
export function suppressionEdit(a: Analysis, d: Diagnostic): TextEdit {
  const path = nodePathAt(a.file, d.range.start);
  const rule = path.find((n) => n.kind === "Rule");
  const anchor = rule ? rule.range.start : d.range.start;
  const line = a.lineIndex.position(anchor).line;
  const lineStart = a.lineIndex.lineStart(line);
  const indent = /^[ \t]*/.exec(a.lineIndex.lineText(a.text, line))?.[0] ?? "";
  const eol = a.text.includes("\r\n") ? "\r\n" : "\n";
  return { range: { start: lineStart, end: lineStart }, newText: `${indent}// ${SUPPRESSION_MARKER} ${d.code}: reason${eol}` };
}
