/**
 * Inline caret annotations for check fixtures (rust-analyzer style): a comment line under the
 * offending text, its carets at the diagnostic's columns, then the severity, code and message.
 *
 *     [type==" x-ms-sgx-svn"] => permit();
 * //        ^^^^^^^^^^^^^^^ warning P2022: claim type ` x-ms-sgx-svn` has leading spaces: …
 *
 * A zero-width range is drawn as one `|`. A range that ends on a later line draws carets to the
 * end of its first line followed by `+N:C` (the end is N lines down, at column C, 1-based).
 * Diagnostics that start before column 2 cannot be drawn under their text; they are listed at
 * the end of the file, each on a `//! L:C-L:C severity CODE: message` line (1-based).
 */
import type { Diagnostic } from "@maa-policy/core";
import { LineIndex } from "@maa-policy/core";

const ANNOTATION = /^\/\/\s*[\^|]+(?: \+\d+:\d+)? (?:error|warning|info|hint) P\d{4}: /;
const LISTED = /^\/\/! \d+:\d+-\d+:\d+ (?:error|warning|info|hint) P\d{4}: /;

/** Whether a line is an annotation (and must be stripped before analysis). */
export function isAnnotation(line: string): boolean {
  return ANNOTATION.test(line) || LISTED.test(line);
}

/** Removes annotation lines, keeping every other line and its line ending. */
export function stripAnnotations(text: string): string {
  const parts = text.split(/(?<=\n)/);
  return parts.filter((l) => !isAnnotation(l.replace(/\r?\n$/, ""))).join("");
}

/** Renders `diagnostics` into `source` as annotations (the inverse of `stripAnnotations`). */
export function annotate(source: string, diagnostics: readonly Diagnostic[]): string {
  const index = new LineIndex(source);
  const lines = source.split(/(?<=\n)/);
  const under = new Map<number, string[]>();
  const listed: string[] = [];
  for (const d of diagnostics) {
    const s = index.position(d.range.start);
    const e = index.position(d.range.end);
    const tail = `${d.severity} ${d.code}: ${d.message}`;
    if (s.character < 2) {
      listed.push(`//! ${s.line + 1}:${s.character + 1}-${e.line + 1}:${e.character + 1} ${tail}`);
      continue;
    }
    const lineText = (lines[s.line] ?? "").replace(/\r?\n$/, "");
    let marks: string;
    if (d.range.end === d.range.start) marks = "|";
    else if (e.line === s.line) marks = "^".repeat(e.character - s.character);
    else marks = "^".repeat(Math.max(1, lineText.length - s.character)) + ` +${e.line - s.line}:${e.character + 1}`;
    const row = `//${" ".repeat(s.character - 2)}${marks} ${tail}`;
    const list = under.get(s.line) ?? [];
    list.push(row);
    under.set(s.line, list);
  }
  let out = "";
  lines.forEach((line, i) => {
    const eol = /\r\n$/.test(line) ? "\r\n" : "\n";
    out += line;
    const rows = under.get(i);
    if (rows) {
      if (!/\n$/.test(line)) out += eol;
      out += rows.map((r) => r + eol).join("");
    }
  });
  if (listed.length > 0) {
    if (out.length > 0 && !out.endsWith("\n")) out += "\n";
    out += listed.map((l) => l + "\n").join("");
  }
  return out;
}
