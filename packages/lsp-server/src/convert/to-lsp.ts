/**
 * The only place where core values (offsets, diagnostics, fixes, edits) become LSP values.
 */
import { catalog, isDiagnosticCode, type Diagnostic, type LineCol, type Severity, type TextEdit, type TextRange } from "@maa-policy/core";
import * as lsp from "vscode-languageserver";

/**
 * Offset to line/character conversion: a core `LineIndex`, or an adapter over an LSP text document
 * (whose line table is kept up to date incrementally).
 */
export interface PositionMap {
  position(offset: number): LineCol;
  offset(position: LineCol): number;
}

/** The `source` of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = "maa-policy";

/** Base URL of the diagnostics documentation pages. */
export const DOCS_BASE_URL = "https://github.com/maa-policy/maa-policy-toolchain/blob/main/docs/diagnostics/";

/** The documentation page of a diagnostic code. */
export function docsUrl(code: string): string | undefined {
  if (!isDiagnosticCode(code)) return undefined;
  return `${DOCS_BASE_URL}${code}-${catalog[code].slug}.md`;
}

/** An offset as an LSP position. */
export function toPosition(index: PositionMap, offset: number): lsp.Position {
  const p = index.position(offset);
  return lsp.Position.create(p.line, p.character);
}

/** A core range as an LSP range. */
export function toRange(index: PositionMap, range: TextRange): lsp.Range {
  return lsp.Range.create(toPosition(index, range.start), toPosition(index, range.end));
}

/** A core severity as an LSP severity. */
export function toSeverity(severity: Severity): lsp.DiagnosticSeverity {
  switch (severity) {
    case "error":
      return lsp.DiagnosticSeverity.Error;
    case "warning":
      return lsp.DiagnosticSeverity.Warning;
    case "info":
      return lsp.DiagnosticSeverity.Information;
    case "hint":
      return lsp.DiagnosticSeverity.Hint;
  }
}

/** A core edit as an LSP edit. */
export function toTextEdit(index: PositionMap, edit: TextEdit): lsp.TextEdit {
  return lsp.TextEdit.replace(toRange(index, edit.range), edit.newText);
}

/**
 * A core diagnostic as an LSP diagnostic: code, docs link, related information (in the same
 * document) and tags. `data` keeps the core range so that code actions can find the fix again.
 */
export function toDiagnostic(index: PositionMap, uri: string, d: Diagnostic): lsp.Diagnostic {
  const out: lsp.Diagnostic = {
    range: toRange(index, d.range),
    severity: toSeverity(d.severity),
    code: d.code,
    source: DIAGNOSTIC_SOURCE,
    message: d.message,
    data: { start: d.range.start, end: d.range.end },
  };
  const href = docsUrl(d.code);
  if (href) out.codeDescription = { href };
  if (d.related && d.related.length > 0) {
    out.relatedInformation = d.related.map((r) => ({
      location: lsp.Location.create(uri, toRange(index, r.range)),
      message: r.message,
    }));
  }
  if (d.tags && d.tags.length > 0) {
    out.tags = d.tags.map((t) => (t === "unnecessary" ? lsp.DiagnosticTag.Unnecessary : lsp.DiagnosticTag.Deprecated));
  }
  return out;
}

/** Many core edits as LSP edits (in order). */
export function toTextEdits(index: PositionMap, edits: readonly TextEdit[]): lsp.TextEdit[] {
  return edits.map((e) => toTextEdit(index, e));
}
