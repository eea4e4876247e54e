/**
 * Document symbols: the version statement, the sections, and their rules (named by a preview of
 * the rule), as an outline.
 */
import { printRule } from "@maa-policy/core";
import * as lsp from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toRange } from "../convert/to-lsp.js";

const PREVIEW = 80;

function preview(text: string): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > PREVIEW ? one.slice(0, PREVIEW - 1) + "…" : one;
}

/** The outline of a policy. */
export function documentSymbols(a: Analysis): lsp.DocumentSymbol[] {
  const out: lsp.DocumentSymbol[] = [];
  const v = a.file.version;
  if (v) {
    out.push({ name: `version ${v.value}`, kind: lsp.SymbolKind.Property, range: toRange(a.lineIndex, v.range), selectionRange: toRange(a.lineIndex, v.range) });
  }
  for (const s of a.file.sections) {
    const children: lsp.DocumentSymbol[] = [];
    for (const r of s.rules) {
      if (r.kind !== "Rule") continue;
      const range = toRange(a.lineIndex, r.range);
      const verb = r.action.kind === "Action" ? (r.action.verb ?? r.action.verbText) : "";
      children.push({
        name: preview(printRule(r)) || "(empty rule)",
        detail: verb,
        kind: verb === "deny" || verb === "permit" ? lsp.SymbolKind.Event : lsp.SymbolKind.Function,
        range,
        selectionRange: r.action.kind === "Action" ? toRange(a.lineIndex, r.action.verbRange) : range,
      });
    }
    out.push({
      name: s.name ?? s.nameText,
      detail: `${children.length} rule${children.length === 1 ? "" : "s"}`,
      kind: lsp.SymbolKind.Namespace,
      range: toRange(a.lineIndex, s.range),
      selectionRange: toRange(a.lineIndex, s.nameRange),
      children,
    });
  }
  return out;
}
