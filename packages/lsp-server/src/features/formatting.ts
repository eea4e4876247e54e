/**
 * Document and range formatting, through the formatter of policy-core. Broken input is never
 * reformatted (the formatter refuses it); the whole-document edit is trimmed to the part that
 * changes, so that editors keep the cursor and folding of untouched lines.
 */
import { format, formatRange, type TextRange } from "@maa-policy/core";
import type * as lsp from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toRange, toTextEdits } from "../convert/to-lsp.js";

function indentOf(a: Analysis, options: lsp.FormattingOptions | undefined): number | "tab" {
  if (a.settings.format.indent !== undefined) return a.settings.format.indent;
  if (!options) return 4;
  return options.insertSpaces === false ? "tab" : options.tabSize > 0 ? options.tabSize : 4;
}

/** The smallest single edit turning `before` into `after`. */
export function minimalEdit(before: string, after: string): { range: TextRange; newText: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // Never split a CRLF or a surrogate pair.
  while (start > 0 && (before.charCodeAt(start) === 10 || (before.charCodeAt(start) & 0xfc00) === 0xdc00)) start--;
  while (endBefore < before.length && (before.charCodeAt(endBefore) === 10 || (before.charCodeAt(endBefore) & 0xfc00) === 0xdc00)) {
    endBefore++;
    endAfter++;
  }
  return { range: { start, end: endBefore }, newText: after.slice(start, endAfter) };
}

/** The edits formatting the whole document (none when it has syntax errors or is already formatted). */
export function formatDocument(a: Analysis, options: lsp.FormattingOptions | undefined): lsp.TextEdit[] {
  const r = format(a.text, { width: a.settings.format.width, indent: indentOf(a, options), endOfLine: "auto" });
  if (!r.changed || r.text === a.text) return [];
  const edit = minimalEdit(a.text, r.text);
  return [{ range: toRange(a.lineIndex, edit.range), newText: edit.newText }];
}

/** The edits formatting the rules that `range` touches. */
export function formatDocumentRange(a: Analysis, range: TextRange, options: lsp.FormattingOptions | undefined): lsp.TextEdit[] {
  const r = formatRange(a.text, range, { width: a.settings.format.width, indent: indentOf(a, options), endOfLine: "auto" });
  return toTextEdits(a.lineIndex, r.edits);
}
